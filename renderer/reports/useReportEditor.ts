import { useCallback, useEffect, useRef, useState } from 'react';
import type { Report } from '../../main/api/index.js';
import type { CoreClient } from '../app/coreClient.js';

export type SaveStatus = 'saved' | 'unsaved' | 'saving' | 'conflict' | 'error';

export interface ReportEditor {
  /** The report as the core last stored it. */
  report: Report | null;
  /** The reader's text per section (what the fields show). */
  texts: Record<string, string>;
  status: SaveStatus;
  /** Why the last save failed. */
  saveError: string | null;
  /** Text typed that the core does not have yet (saving, failed, or waiting for the pause that starts a save). */
  dirty: boolean;
  /** Shows a report from the core (loaded, drafted, signed...): its text replaces the fields. */
  show(report: Report): void;
  edit(section: string, text: string): void;
  /** Saves now what is not saved yet; resolves to the stored report, or null when the save failed. */
  flush(): Promise<Report | null>;
  /** After a conflict, saves the reader's text over the version stored elsewhere. */
  overwrite(): Promise<Report | null>;
}

/**
 * A report being edited, saved as the reader types: a pause of `delayMs` saves the changed sections with the
 * `updatedAt` the editor last had (optimistic concurrency: a change made elsewhere meanwhile is a conflict, shown,
 * and nothing is overwritten). Saves run one at a time; text typed during a save is saved by the next one. Leaving
 * (unmount: another tab, study or the worklist) saves what is pending; closing the page with unsaved text asks first.
 */
export function useReportEditor(client: CoreClient, delayMs = 1200): ReportEditor {
  const [report, setReport] = useState<Report | null>(null);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<SaveStatus>('saved');
  const [saveError, setSaveError] = useState<string | null>(null);
  // The latest values for the timer, the unmount flush and the page-close guard, which outlive a render.
  const latest = useRef({ report, texts, status });
  latest.current = { report, texts, status };
  const inFlight = useRef<Promise<Report | null> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const changedSections = (r: Report, t: Record<string, string>) =>
    r.sections.filter((s) => t[s.name] !== undefined && t[s.name] !== s.text).map((s) => ({ name: s.name, text: t[s.name]! }));

  const saveOnce = useCallback(async (): Promise<Report | null> => {
    const { report: r, texts: t } = latest.current;
    if (!r || r.state === 'final') return r;
    const sections = changedSections(r, t);
    if (!sections.length) return r;
    setStatus('saving');
    const result = await client.invoke('reports:save', { reportId: r.id, sections, expectedUpdatedAt: r.updatedAt });
    if (!result.ok) {
      setStatus(result.error.code === 'conflict' ? 'conflict' : 'error');
      setSaveError(result.error.message);
      return null;
    }
    // The fields keep what the reader typed meanwhile; only the stored copy moves on.
    latest.current.report = result.value;
    setReport(result.value);
    setSaveError(null);
    setStatus(changedSections(result.value, latest.current.texts).length ? 'unsaved' : 'saved');
    return result.value;
  }, [client]);

  const flush = useCallback(async (): Promise<Report | null> => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    while (inFlight.current) await inFlight.current;
    if (latest.current.status === 'conflict') return null;
    const run = saveOnce();
    inFlight.current = run;
    try {
      return await run;
    } finally {
      inFlight.current = null;
    }
  }, [saveOnce]);

  const show = useCallback((r: Report) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    latest.current = { report: r, texts: Object.fromEntries(r.sections.map((s) => [s.name, s.text])), status: 'saved' };
    setReport(r);
    setTexts(latest.current.texts);
    setStatus('saved');
    setSaveError(null);
  }, []);

  const edit = useCallback(
    (section: string, text: string) => {
      setTexts((x) => {
        const next = { ...x, [section]: text };
        latest.current.texts = next;
        return next;
      });
      setStatus((s) => (s === 'conflict' ? s : 'unsaved'));
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), delayMs);
    },
    [delayMs, flush],
  );

  const dirty = report !== null && report.state !== 'final' && changedSections(report, texts).length > 0;

  // Closing or reloading the page with text the core does not have: the browser asks the reader first.
  useEffect(() => {
    if (!dirty) return;
    const guard = (e: BeforeUnloadEvent) => {
      void flush();
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', guard);
    return () => window.removeEventListener('beforeunload', guard);
  }, [dirty, flush]);

  // Leaving the panel saves what is pending, after a save already on its way (its answer moves `updatedAt` on).
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      void (inFlight.current ?? Promise.resolve(null)).then(() => {
        const { report: r, texts: t, status: s } = latest.current;
        if (!r || r.state === 'final' || s === 'conflict') return;
        const sections = changedSections(r, t);
        if (sections.length) void client.invoke('reports:save', { reportId: r.id, sections, expectedUpdatedAt: r.updatedAt });
      });
    },
    [client],
  );

  /** After a conflict: store the reader's text over the version saved elsewhere (the reader chose to). */
  const overwrite = useCallback(async (): Promise<Report | null> => {
    const r = latest.current.report;
    if (!r) return null;
    const fresh = await client.invoke('reports:get', { reportId: r.id });
    if (!fresh.ok) {
      setSaveError(fresh.error.message);
      return null;
    }
    latest.current.report = fresh.value;
    latest.current.status = 'unsaved';
    setReport(fresh.value);
    setStatus('unsaved');
    return flush();
  }, [client, flush]);

  return { report, texts, status, saveError, dirty, show, edit, flush, overwrite };
}
