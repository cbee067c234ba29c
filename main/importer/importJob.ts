import type { AnalysisRepository } from '../db/analysisRepository.js';
import type { ImportJobRepository } from '../db/importJobRepository.js';
import type { IndexRepository } from '../db/indexRepository.js';
import { UNCHANGED_REASON } from '../db/records.js';
import type { EventBus } from '../platform/eventBus.js';
import type { JobControl } from '../platform/jobRunner.js';
import type { WorkerPool } from '../platform/workerPool.js';
import type { Description } from './describeImage.js';
import type { DescribeTask } from './importWorker.js';
import { loadSidecarsFor, type SidecarIndex } from './sidecar.js';
import { collectSources, type ImportSource } from './sources.js';

/** Imports that change at least this many images end with an index optimisation. */
const LARGE_IMPORT = 500;

export interface ImportDeps {
  importJobs: ImportJobRepository;
  index: IndexRepository;
  analyses: AnalysisRepository;
  dataDir: string;
  events: EventBus;
  pool: WorkerPool<DescribeTask, Description>;
}

export interface ImportRequest {
  roots: string[];
  sidecarCsv?: string;
  /** Set when resuming a job a crash left running: paths it already recorded are not redone. */
  resume?: boolean;
}

/**
 * One import: expand the roots into files, skip those already indexed and unchanged (size and mtime, then content
 * hash), describe the rest in worker threads, and store each image in its own transaction as it comes back, so a
 * crash or a cancel loses nothing already stored. Every file's outcome is recorded in the job's report.
 */
export async function runImport(deps: ImportDeps, request: ImportRequest, control: JobControl): Promise<string> {
  const { importJobs: jobs, index, analyses } = deps;
  jobs.create(control.id, request.roots);
  const already = request.resume ? jobs.recordedPaths(control.id) : new Set<string>();

  const collected = await collectSources(request.roots);
  try {
    let failedBeforeStart = 0;
    for (const p of collected.problems) {
      if (already.has(p.path)) continue;
      jobs.recordItem(control.id, p.path, p.outcome, p.reason);
      if (p.outcome === 'failed') failedBeforeStart++;
    }
    const todo = collected.sources.filter((s) => !already.has(s.path));
    control.setTotal(todo.length);
    // A root that does not exist, a missing DICOMDIR member, an unreadable zip fail before any file is read: the job's
    // count of failures includes them, so it says what the stored report says.
    if (failedBeforeStart) control.advance(0, failedBeforeStart);

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

    const handle = async (s: ImportSource): Promise<void> => {
      const known = index.findByPath(s.path);
      if (known && known.fileSize === s.size && Math.abs(known.fileMtimeMs - s.mtimeMs) < 1) {
        jobs.recordItem(control.id, s.path, 'skipped', UNCHANGED_REASON);
        control.advance(1);
        return;
      }
      const bytes = s.fsPath ? null : await s.read();
      const task: DescribeTask = { facts: { path: s.path, size: s.size, mtimeMs: s.mtimeMs }, fsPath: s.fsPath, bytes, dataDir: deps.dataDir, sidecar: sidecarFor(s) };
      const d = await deps.pool.run(task);
      if (d.kind === 'image') {
        const result = index.upsertImage(d.record);
        if (result.outcome === 'updated') forgetStaleAnalyses(result.instanceId, result.studyId);
        jobs.recordItem(control.id, s.path, result.outcome, result.outcome === 'skipped' ? result.reason : undefined);
        if (result.outcome !== 'skipped') changedStudies.add(result.studyId);
        control.advance(1);
      } else {
        jobs.recordItem(control.id, s.path, d.kind === 'skip' ? 'skipped' : 'failed', d.reason);
        control.advance(1, d.kind === 'fail' ? 1 : 0);
      }
      flushChanges(false);
    };

    // Keep every worker busy with a bounded number of files in flight (memory stays flat on 100,000-file imports).
    let next = 0;
    const lane = async () => {
      while (next < todo.length && !control.signal.aborted) await handle(todo[next++]!);
    };
    await Promise.all(Array.from({ length: deps.pool.capacity + 1 }, lane));
    flushChanges(true);
    const report = jobs.report(control.id);
    // A large import leaves the full-text index in many small segments; merging them keeps the search box fast.
    if (report.imported + report.updated >= LARGE_IMPORT) index.optimize();
    const state = control.signal.aborted ? 'cancelled' : 'done';
    jobs.finish(control.id, state);
    return `${report.imported} imported, ${report.updated} updated, ${report.skipped} skipped, ${report.failedCount} failed`;
  } catch (err) {
    jobs.finish(control.id, 'failed');
    throw err;
  } finally {
    collected.close();
  }
}
