import { randomUUID } from 'node:crypto';
import { CoreError } from '../api/envelope.js';
import type { Job } from '../api/jobs.js';
import type { EventBus } from './eventBus.js';

/** What a job's work function sees: report progress, and a signal that turns true when cancellation is asked. */
export interface JobControl {
  readonly id: string;
  readonly signal: AbortSignal;
  setTotal(total: number): void;
  /** Count units done (and failed) since the last call. Progress events are throttled. */
  advance(done: number, failed?: number): void;
  setMessage(message: string): void;
}

export type JobKind = Job['kind'];

/**
 * Runs long work in the background with an id, progress events (rate, ETA) and cancellation. The work function
 * decides what to store; the runner only tracks state, so a cancelled job keeps what was already stored.
 */
export class JobRunner {
  private readonly jobs = new Map<string, { job: Job; abort: AbortController; done: Promise<Job> }>();

  constructor(
    private readonly events: EventBus,
    private readonly progressIntervalMs = 200,
  ) {}

  start(kind: JobKind, work: (control: JobControl) => Promise<string | void>, options: { id?: string; total?: number } = {}): Job {
    const id = options.id ?? randomUUID();
    const abort = new AbortController();
    const started = Date.now();
    const job: Job = {
      id,
      kind,
      state: 'running',
      done: 0,
      total: options.total ?? 0,
      failed: 0,
      rate: 0,
      etaSeconds: null,
      startedAt: new Date(started).toISOString(),
      finishedAt: null,
      message: null,
    };
    let lastEmit = 0;
    const emitProgress = (force = false) => {
      const now = Date.now();
      if (!force && now - lastEmit < this.progressIntervalMs) return;
      lastEmit = now;
      const seconds = (now - started) / 1000;
      job.rate = seconds > 0 ? job.done / seconds : 0;
      job.etaSeconds = job.rate > 0 && job.total >= job.done ? (job.total - job.done) / job.rate : null;
      this.events.emit('jobs:onDidProgress', { ...job });
    };
    const control: JobControl = {
      id,
      signal: abort.signal,
      setTotal(total) {
        job.total = total;
        emitProgress(true);
      },
      advance(done, failed = 0) {
        job.done += done;
        job.failed += failed;
        emitProgress();
      },
      setMessage(message) {
        job.message = message;
      },
    };
    const done = (async () => {
      try {
        const message = await work(control);
        if (message) job.message = message;
        job.state = abort.signal.aborted ? 'cancelled' : 'done';
      } catch (err) {
        job.state = abort.signal.aborted ? 'cancelled' : 'failed';
        job.message = err instanceof Error ? err.message : String(err);
      }
      job.finishedAt = new Date().toISOString();
      emitProgress(true);
      this.events.emit('jobs:onDidFinish', { ...job });
      return { ...job };
    })();
    this.jobs.set(id, { job, abort, done });
    return { ...job };
  }

  get(id: string): Job {
    const entry = this.jobs.get(id);
    if (!entry) throw new CoreError('not_found', `no job with id ${id} in this session`);
    return { ...entry.job };
  }

  list(): Job[] {
    return [...this.jobs.values()].map((e) => ({ ...e.job })).reverse();
  }

  cancel(id: string): void {
    const entry = this.jobs.get(id);
    if (!entry) throw new CoreError('not_found', `no job with id ${id} in this session`);
    entry.abort.abort();
  }

  /** Resolves when the job ends (tests and the CLI wait on this). */
  wait(id: string): Promise<Job> {
    const entry = this.jobs.get(id);
    if (!entry) return Promise.reject(new CoreError('not_found', `no job with id ${id} in this session`));
    return entry.done;
  }

  /** Cancels everything and waits, for a clean shutdown. */
  async shutdown(): Promise<void> {
    for (const e of this.jobs.values()) e.abort.abort();
    await Promise.allSettled([...this.jobs.values()].map((e) => e.done));
  }
}
