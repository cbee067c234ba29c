import type { AiLabelUse, ReportAiUse, ReportLanguage } from '../api/reports.js';
import { aiSectionWords } from './aiSectionWords.js';

/** A stored ISO timestamp as people read it: `2024-05-20 08:31 UTC`; '' stays ''. */
export function formatTimestamp(iso: string): string {
  const d = new Date(iso);
  return iso === '' || Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A probability as printed in the AI details: a percentage with one decimal (locale-neutral). */
export function percent(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

const labelName = (label: string) => label.replace(/_/g, ' ');

/**
 * The report's AI section, generated from the record of what the AI did (never typed, never editable): which model
 * ran and its intended use, per image what was shown (or why nothing was), what the reader accepted, edited or
 * rejected, whether the record is frozen by the signature, and the AI details appendix with the probabilities and
 * thresholds. Every export prints exactly these lines.
 */
export function aiSectionLines(ai: ReportAiUse, language: ReportLanguage): string[] {
  const w = aiSectionWords(language);
  if (!ai.images.length) return [w.notUsed];
  const lines: string[] = [];
  const packsSeen = new Set<string>();
  ai.images.forEach((img, n) => {
    const packKey = `${img.packId} ${img.packVersion}`;
    if (!packsSeen.has(packKey)) {
      packsSeen.add(packKey);
      lines.push(w.model(img.packTitle, packKey), img.intendedUse.trim() ? w.intendedUse(img.intendedUse.trim()) : w.noIntendedUse);
    }
    lines.push(w.image(n + 1, formatTimestamp(img.analysedAt) || '-', img.thresholdVersion));
    if (img.withheld !== null) {
      lines.push(w.withheld(img.withheld));
      return;
    }
    const called = img.labels.filter((l) => l.called);
    const describe = (l: AiLabelUse) => {
      const quals = [l.certainty ? w.certainty[l.certainty] : '', l.laterality ? w.side[l.laterality] : ''].filter(Boolean).join(', ');
      return `${labelName(l.label)}${quals ? ` (${quals})` : ''}`;
    };
    lines.push(called.length ? w.shown(called.map(describe).join('; ')) : w.noneCalled);
    const decided = (['accepted', 'edited', 'rejected', 'unreviewed'] as const)
      .map((d) => {
        const ls = img.labels.filter((l) => l.decision === d && (l.called || d !== 'unreviewed'));
        return `${w.decisions[d]}: ${ls.length ? ls.map((l) => labelName(l.label)).join(', ') : w.none}`;
      })
      .join('; ');
    lines.push(`${w.reader}: ${decided}.`);
  });
  const notAnalysed = ai.imagesInStudy - ai.images.length;
  if (notAnalysed > 0) lines.push(w.notAnalysed(notAnalysed));
  lines.push(ai.frozenAt ? w.frozen(formatTimestamp(ai.frozenAt)) : w.live);
  return lines;
}

/**
 * The AI details appendix: every label's probability and operating threshold per image (empty without AI). The
 * lines the viewer showed (findings/text) are printed as they were; records without them get the same facts from
 * the labels.
 */
export function aiDetailsLines(ai: ReportAiUse, language: ReportLanguage): string[] {
  const w = aiSectionWords(language);
  const shown = ai.images.filter((i) => i.withheld === null && (i.details?.lines.length || i.labels.length));
  if (!shown.length) return [];
  const lines = [shown.find((i) => i.details)?.details?.title ?? w.details];
  ai.images.forEach((img, n) => {
    if (img.withheld !== null) return;
    const prefix = ai.images.length > 1 ? `${n + 1}. ` : '';
    if (img.details?.lines.length) {
      for (const line of img.details.lines) lines.push(`${prefix}${line}`);
      return;
    }
    if (!img.labels.length) return;
    const items = [...img.labels]
      .sort((a, b) => b.probability - a.probability)
      .map((l) => w.detail(labelName(l.label), percent(l.probability), l.threshold === null ? w.noThreshold : percent(l.threshold), l.thresholdSource, l.called));
    lines.push(`${prefix}${items.join('; ')}`);
  });
  return lines;
}
