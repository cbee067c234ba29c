import type { AnalysisRepository } from '../db/analysisRepository.js';
import type { ImportJobRepository } from '../db/importJobRepository.js';
import type { IndexRepository } from '../db/indexRepository.js';
import { UNCHANGED_REASON } from '../db/records.js';
import type { ImportLimits } from '../api/imports.js';
import { formatLimit } from '../images/decodeLimits.js';
import type { LoadedImage } from '../images/loadImage.js';
import type { EventBus } from '../platform/eventBus.js';
import type { JobControl } from '../platform/jobRunner.js';
import { WorkerLostError, type WorkerPool } from '../platform/workerPool.js';
import type { Description } from './describeImage.js';
import type { DescribeTask } from './importWorker.js';
import { loadSidecarsFor, type SidecarIndex } from './sidecar.js';
import { collectSources, ZipMemberError, type ImportSource } from './sources.js';

/** Imports that change at least this many images end with an index optimisation. */
const LARGE_IMPORT = 500;

/**
 * A file that was being read when the process stopped this many times is not tried again: it is recorded as failed
 * (the first time it is retried alone, in case it was only in flight beside the file that stopped the process).
 */
const MAX_INTERRUPTED_ATTEMPTS = 2;

/**
 * Analysis in the same pass as the import, from the pixels the import's workers decoded for the thumbnail (wired by
 * the composition root to the analysis pipeline, so the rules are those of `analysis:start`).
 */
export interface ImportAnalysis {
  /**
   * Starts analysing for one import. `wanted` is the request's choice (undefined: the site's setting). `run` is null
   * when nothing is to be analysed; `note` says why when analysis was wanted but cannot run (no pack, a pack that
   * does not load): the import goes on without it.
   */
  open(wanted: boolean | undefined): Promise<{ run: ImportAnalysisRun | null; note?: string }>;
}

export interface ImportAnalysisRun {
  /** One stored image with its decoded pixels; resolves once the analysis has room for more (backpressure). */
  add(image: { instanceId: number; contentHash: string; pixels: LoadedImage }): Promise<void>;
  /**
   * Waits for every image handed in and updates the studies' AI summaries; a clause for the job's message (empty
   * when no image was handed in).
   */
  finish(): Promise<string>;
}

export interface ImportDeps {
  importJobs: ImportJobRepository;
  index: IndexRepository;
  analyses: AnalysisRepository;
  dataDir: string;
  events: EventBus;
  pool: WorkerPool<DescribeTask, Description>;
  /** The limits in force for this import (the site's, with any overrides of the request). */
  limits: ImportLimits;
  /** Analysis in the same pass; absent where the core has no AI (tests of the importer alone). */
  analysis?: ImportAnalysis;
}

export interface ImportRequest {
  roots: string[];
  sidecarCsv?: string;
  /** Set when resuming a job a crash left running: paths it already recorded are not redone. */
  resume?: boolean;
  /** Analyse each new or changed image in the same pass (undefined: the site's setting). */
  analyse?: boolean;
}

/**
 * One import: expand the roots into files, skip those already indexed and unchanged (size and mtime, then content
 * hash), describe the rest in worker threads, and store each image in its own transaction as it comes back, so a
 * crash or a cancel loses nothing already stored. Every file's outcome is recorded in the job's report.
 *
 * Each file fails alone: reading a zip member, parsing, decoding, the thumbnail, the index write, a worker that
 * crashes or runs past the time limit — any of them records that file as failed with its reason, and the import goes
 * on. A file that was being read when the whole process stopped is retried once, alone, on resume, and then failed.
 */
export async function runImport(deps: ImportDeps, request: ImportRequest, control: JobControl): Promise<string> {
  const { importJobs: jobs, index, analyses } = deps;
  jobs.create(control.id, request.roots);
  const already = request.resume ? jobs.recordedPaths(control.id) : new Set<string>();

  const interrupted = request.resume ? jobs.interruptedAttempts(control.id) : new Map<string, number>();
  const limits = deps.limits;

  const collected = await collectSources(request.roots, limits);
  let analysis: ImportAnalysisRun | null = null;
  try {
    const opened = deps.analysis ? await deps.analysis.open(request.analyse) : { run: null };
    analysis = opened.run;
    let failedBeforeStart = 0;
    for (const p of collected.problems) {
      if (already.has(p.path)) continue;
      jobs.recordItem(control.id, p.path, p.outcome, p.reason);
      if (p.outcome === 'failed') failedBeforeStart++;
    }
    const pending = collected.sources.filter((s) => !already.has(s.path));
    control.setTotal(pending.length);
    // A root that does not exist, a missing DICOMDIR member, an unreadable zip fail before any file is read: the job's
    // count of failures includes them, so it says what the stored report says.
    if (failedBeforeStart) control.advance(0, failedBeforeStart);
    // Files the process stopped on last time: failed after the last allowed try, else tried first, one at a time.
    const suspects: ImportSource[] = [];
    const todo: ImportSource[] = [];
    for (const s of pending) {
      const attempts = interrupted.get(s.path) ?? 0;
      if (attempts >= MAX_INTERRUPTED_ATTEMPTS) {
        jobs.recordItem(control.id, s.path, 'failed', `the import process stopped ${attempts} times while reading this file (it may exhaust memory or crash the reader): not tried again`);
        control.advance(1, 1);
      } else if (attempts > 0) suspects.push(s);
      else todo.push(s);
    }

    const sidecars = new Map<string, SidecarIndex>();
    const sidecarFor = (s: ImportSource) => {
      if (!s.dir) return null;
      let idx = sidecars.get(s.dir);
      if (!idx) sidecars.set(s.dir, (idx = loadSidecarsFor(s.dir, request.sidecarCsv)));
      return idx.get(s.path.slice(s.dir.length + 1)) ?? null;
    };

    const changedStudies = new Set<number>();
    let lastChangeEvent = Date.now();
    const flushChanges = (force: boolean) => {
      if (!changedStudies.size || (!force && Date.now() - lastChangeEvent < 500)) return;
      deps.events.emit('studies:onDidChange', { studyIds: [...changedStudies] });
      changedStudies.clear();
      lastChangeEvent = Date.now();
    };

    // A changed file invalidates what the AI said about its old pixels; the study's AI summary goes back to "none"
    // once none of its images has a result left (re-analysis fills it again).
    const forgetStaleAnalyses = (instanceId: number, studyId: number) => {
      if (analyses.forgetInstance(instanceId) > 0 && !analyses.studyHasAnalyses(studyId)) {
        index.setStudyAiSummary(studyId, { aiStatus: 'none', maxProbability: null, positiveLabels: [] });
      }
    };

    /** Reads (zip members), describes in a worker, and retries alone a file whose worker died beside another. */
    const describe = async (s: ImportSource, solo: boolean): Promise<Description> => {
      const bytes = s.fsPath ? null : await s.read();
      const task: DescribeTask = {
        facts: { path: s.path, size: s.size, mtimeMs: s.mtimeMs },
        fsPath: s.fsPath,
        bytes,
        dataDir: deps.dataDir,
        sidecar: sidecarFor(s),
        limits,
        keepPixels: analysis !== null,
      };
      try {
        // A zip member's buffer is its own (see readZipEntry), so it moves to the worker instead of being copied.
        const owned = bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer as ArrayBuffer] : [];
        return await deps.pool.run(task, { transfer: owned, timeoutMs: limits.maxFileSeconds * 1000, solo });
      } catch (err) {
        if (err instanceof WorkerLostError && !err.alone && !solo) return describe(s, true);
        throw err;
      }
    };

    const store = (s: ImportSource, d: Description): { instanceId: number; contentHash: string; pixels: LoadedImage } | null => {
      if (d.kind !== 'image') {
        jobs.recordItem(control.id, s.path, d.kind === 'skip' ? 'skipped' : 'failed', d.reason);
        control.advance(1, d.kind === 'fail' ? 1 : 0);
        return null;
      }
      let result;
      try {
        result = index.upsertImage(d.record);
      } catch (err) {
        jobs.recordItem(control.id, s.path, 'failed', `could not be stored in the index: ${(err as Error).message}`);
        control.advance(1, 1);
        return null;
      }
      if (result.outcome === 'updated') forgetStaleAnalyses(result.instanceId, result.studyId);
      const note = result.outcome === 'skipped' ? result.reason : d.warnings.length ? d.warnings.join('; ') : undefined;
      jobs.recordItem(control.id, s.path, result.outcome, note);
      if (result.outcome !== 'skipped') changedStudies.add(result.studyId);
      control.advance(1);
      return result.outcome !== 'skipped' && d.pixels ? { instanceId: result.instanceId, contentHash: d.record.instance.contentHash, pixels: d.pixels } : null;
    };

    const handle = async (s: ImportSource, solo = false): Promise<void> => {
      const known = index.findByPath(s.path);
      if (known && known.fileSize === s.size && Math.abs(known.fileMtimeMs - s.mtimeMs) < 1) {
        jobs.recordItem(control.id, s.path, 'skipped', UNCHANGED_REASON);
        control.advance(1);
        return;
      }
      let described: Description;
      try {
        // Noted before the reader starts, cleared with the outcome: a note left behind names the file a crash stopped on.
        jobs.beginAttempt(control.id, s.path);
        described = await describe(s, solo);
      } catch (err) {
        jobs.recordItem(control.id, s.path, 'failed', failureReason(err, limits));
        control.advance(1, 1);
        return;
      }
      const stored = store(s, described);
      flushChanges(false);
      // The lane waits while the analysis is full, so imports with analysis go at the analysis's pace.
      if (stored && analysis) await analysis.add(stored);
    };

    for (const s of suspects) if (!control.signal.aborted) await handle(s, true);

    // Keep every worker busy with a bounded number of files in flight (memory stays flat on 100,000-file imports).
    let next = 0;
    const lane = async () => {
      while (next < todo.length && !control.signal.aborted) await handle(todo[next++]!);
    };
    await Promise.all(Array.from({ length: deps.pool.capacity + 1 }, lane));
    flushChanges(true);
    const said = analysis ? await analysis.finish() : (opened.note ?? '');
    const analysed = said ? `; ${said}` : '';
    analysis = null;
    const report = jobs.report(control.id);
    // A large import leaves the full-text index in many small segments; merging them keeps the search box fast.
    if (report.imported + report.updated >= LARGE_IMPORT) index.optimize();
    const state = control.signal.aborted ? 'cancelled' : 'done';
    jobs.finish(control.id, state);
    return `${report.imported} imported, ${report.updated} updated, ${report.skipped} skipped, ${report.failedCount} failed${analysed}`;
  } catch (err) {
    jobs.finish(control.id, 'failed');
    throw err;
  } finally {
    // An import that failed still stores what was analysed of it.
    await analysis?.finish().catch(() => undefined);
    collected.close();
  }
}

/** Why a file failed, in words, from what its reading threw. */
function failureReason(err: unknown, limits: ImportLimits): string {
  if (err instanceof WorkerLostError) {
    if (err.kind === 'timed-out') {
      return `reading it took longer than allowed: over the limit maxFileSeconds = ${formatLimit('maxFileSeconds', limits.maxFileSeconds)} (its reader was stopped and replaced)`;
    }
    return `${err.message} while reading this file (the reader was replaced; the import went on)`;
  }
  if (err instanceof ZipMemberError) return err.message;
  return `could not be read: ${(err as Error).message}`;
}
