import { CoreError } from '../api/envelope.js';
import type { ImportFailure, ImportReport } from '../api/imports.js';
import type { Job } from '../api/jobs.js';
import type { DbHandle } from './connection.js';
import { systemClock, type Clock } from './clock.js';
import { UNCHANGED_REASON } from './records.js';

export type ImportItemOutcome = 'imported' | 'updated' | 'skipped' | 'failed';
export type ImportJobState = Job['state'];

/**
 * The most skipped/failed entries a report lists (each list separately); the counts are always exact. A report of a
 * 100,000-file import stays a few hundred kilobytes at most.
 */
export const REPORT_LIST_LIMIT = 1000;

interface JobRow {
  job_id: string;
  state: ImportJobState;
  started_at: string;
  finished_at: string | null;
  roots: string;
}

/**
 * Import jobs and the outcome of every file, stored as the import goes so the report survives a restart and a job
 * left 'running' by a crash can be resumed. Recording a path twice in one job keeps the latest outcome.
 */
export class ImportJobRepository {
  constructor(
    private readonly db: DbHandle,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Starts (or, for an id already stored, resumes) a job as 'running'. */
  create(jobId: string, roots: string[]): void {
    this.db
      .statement(
        `INSERT INTO import_jobs (job_id, state, started_at, finished_at, roots) VALUES (?, 'running', ?, NULL, ?)
         ON CONFLICT (job_id) DO UPDATE SET state = 'running', finished_at = NULL`,
      )
      .run(jobId, this.clock().toISOString(), JSON.stringify(roots));
  }

  /**
   * Records a file's outcome (for imported/updated files, `reason` is a warning, e.g. a header value stored as
   * absent). The file's pending attempt, if any, is cleared in the same transaction.
   */
  recordItem(jobId: string, path: string, outcome: ImportItemOutcome, reason?: string): void {
    this.db.transaction(() => {
      this.db
        .statement(
          `INSERT INTO import_job_items (job_id, path, outcome, reason, seq)
           VALUES (@jobId, @path, @outcome, @reason, (SELECT coalesce(max(seq), 0) + 1 FROM import_job_items WHERE job_id = @jobId))
           ON CONFLICT (job_id, path) DO UPDATE SET outcome = excluded.outcome, reason = excluded.reason, seq = excluded.seq`,
        )
        .run({ jobId, path, outcome, reason: reason ?? null });
      this.db.statement('DELETE FROM import_job_attempts WHERE job_id = ? AND path = ?').run(jobId, path);
    });
  }

  /**
   * Notes that a reader is about to start on a file, before it does: if the process dies while reading it, the note
   * survives and {@link interruptedAttempts} names the file on resume. Returns the attempts so far, this one included.
   */
  beginAttempt(jobId: string, path: string): number {
    return this.db
      .statement(
        `INSERT INTO import_job_attempts (job_id, path, attempts) VALUES (?, ?, 1)
         ON CONFLICT (job_id, path) DO UPDATE SET attempts = attempts + 1 RETURNING attempts`,
      )
      .pluck()
      .get(jobId, path) as number;
  }

  /** Files a reader was started on but whose outcome was never recorded (the process stopped), with their attempts. */
  interruptedAttempts(jobId: string): Map<string, number> {
    const rows = this.db.statement('SELECT path, attempts FROM import_job_attempts WHERE job_id = ?').all(jobId) as Array<{
      path: string;
      attempts: number;
    }>;
    return new Map(rows.map((r) => [r.path, r.attempts]));
  }

  /** @throws CoreError('not_found') for an unknown job. */
  finish(jobId: string, state: ImportJobState): void {
    const result = this.db
      .statement('UPDATE import_jobs SET state = ?, finished_at = ? WHERE job_id = ?')
      .run(state, this.clock().toISOString(), jobId);
    if (result.changes === 0) throw new CoreError('not_found', `no import job with id ${jobId}`);
  }

  /**
   * What the job did. `skippedReasons` lists skipped files except the common "unchanged" ones (they are counted in
   * `skipped`); `warnings` lists imported or updated files recorded with a note; each list holds at most
   * {@link REPORT_LIST_LIMIT} entries, in the order they happened.
   * @throws CoreError('not_found') for an unknown job.
   */
  report(jobId: string): ImportReport {
    const row = this.db.statement('SELECT job_id, state, started_at, finished_at, roots FROM import_jobs WHERE job_id = ?').get(jobId) as
      | JobRow
      | undefined;
    if (!row) throw new CoreError('not_found', `no import job with id ${jobId}`);
    return this.toReport(row);
  }

  /** The latest reports, newest first. */
  list(limit: number): ImportReport[] {
    const rows = this.db
      .statement('SELECT job_id, state, started_at, finished_at, roots FROM import_jobs ORDER BY started_at DESC, rowid DESC LIMIT ?')
      .all(limit) as JobRow[];
    return rows.map((r) => this.toReport(r));
  }

  /** Jobs a crash left queued or running, oldest first, for resuming. */
  unfinished(): { jobId: string; roots: string[] }[] {
    const rows = this.db
      .statement("SELECT job_id, roots FROM import_jobs WHERE state IN ('queued', 'running') ORDER BY started_at, rowid")
      .all() as Array<{ job_id: string; roots: string }>;
    return rows.map((r) => ({ jobId: r.job_id, roots: JSON.parse(r.roots) as string[] }));
  }

  /** Every path recorded with this outcome, in order (benchmarks and tests check which files arrived). */
  pathsWithOutcome(jobId: string, outcome: ImportItemOutcome): string[] {
    return this.db.statement('SELECT path FROM import_job_items WHERE job_id = ? AND outcome = ? ORDER BY seq').pluck().all(jobId, outcome) as string[];
  }

  /** Paths already recorded for a job (a resumed job skips them). */
  recordedPaths(jobId: string): Set<string> {
    return new Set(this.db.statement('SELECT path FROM import_job_items WHERE job_id = ?').pluck().all(jobId) as string[]);
  }

  private toReport(row: JobRow): ImportReport {
    const counts = { imported: 0, updated: 0, skipped: 0, failed: 0 };
    const countRows = this.db
      .statement('SELECT outcome, count(*) AS n FROM import_job_items WHERE job_id = ? GROUP BY outcome')
      .all(row.job_id) as Array<{ outcome: ImportItemOutcome; n: number }>;
    for (const c of countRows) counts[c.outcome] = c.n;
    const skippedReasons = this.db
      .statement(
        `SELECT path, coalesce(reason, '') AS reason FROM import_job_items
         WHERE job_id = ? AND outcome = 'skipped' AND coalesce(reason, '') <> ? ORDER BY seq LIMIT ?`,
      )
      .all(row.job_id, UNCHANGED_REASON, REPORT_LIST_LIMIT) as ImportFailure[];
    const warnings = this.db
      .statement(
        `SELECT path, reason FROM import_job_items
         WHERE job_id = ? AND outcome IN ('imported', 'updated') AND reason IS NOT NULL ORDER BY seq LIMIT ?`,
      )
      .all(row.job_id, REPORT_LIST_LIMIT) as ImportFailure[];
    const failed = this.db
      .statement(
        `SELECT path, coalesce(reason, 'unknown error') AS reason FROM import_job_items
         WHERE job_id = ? AND outcome = 'failed' ORDER BY seq LIMIT ?`,
      )
      .all(row.job_id, REPORT_LIST_LIMIT) as ImportFailure[];
    return {
      jobId: row.job_id,
      state: row.state,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      roots: JSON.parse(row.roots) as string[],
      imported: counts.imported,
      updated: counts.updated,
      skipped: counts.skipped,
      skippedReasons,
      warnings,
      failed,
      failedCount: counts.failed,
    };
  }
}
