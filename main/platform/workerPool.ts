import { availableParallelism } from 'node:os';
import type { ResourceLimits, TransferListItem, Worker } from 'node:worker_threads';
import { createModuleWorker } from './moduleWorker.js';

interface Pending<R> {
  resolve(value: R): void;
  reject(err: Error): void;
}

/**
 * Why a task did not finish: its worker crashed (or ran out of memory), or a task on it ran past its time limit.
 * `alone` says whether the task was the only one on that worker: if not, another task may have been the cause, and
 * the caller may run it again with `solo` to find out.
 */
export class WorkerLostError extends Error {
  constructor(
    readonly kind: 'crashed' | 'timed-out',
    message: string,
    readonly alone: boolean,
  ) {
    super(message);
    this.name = 'WorkerLostError';
  }
}

export interface RunOptions {
  transfer?: TransferListItem[];
  /** The task fails with a WorkerLostError('timed-out') after this long, and its worker is replaced. */
  timeoutMs?: number;
  /** Run with no other task on the same worker (used to find which of several tasks makes a worker die). */
  solo?: boolean;
}

export interface WorkerPoolOptions {
  /** Given to every worker: a worker over its heap limit ends alone, and is replaced, instead of the process. */
  resourceLimits?: ResourceLimits;
  /**
   * The module posts `{ ready: true }` once loaded, and gets no task before: a task's time limit then measures the
   * task, not the start of a replacement worker.
   */
  announcesReady?: boolean;
}

interface Queued<T, R> {
  task: T;
  transfer: TransferListItem[];
  timeoutMs: number | undefined;
  solo: boolean;
  pending: Pending<R>;
}

interface Slot<T, R> {
  worker: Worker;
  inFlight: Map<number, { entry: Queued<T, R>; timer: NodeJS.Timeout | undefined }>;
  /** No new tasks: the worker asked to be replaced once its tasks are done. */
  retiring: boolean;
  /** Running a solo task. */
  solo: boolean;
  /** Loaded and able to take tasks (see WorkerPoolOptions.announcesReady). */
  ready: boolean;
  /** Whether it ever answered a task (a worker that dies before doing anything points at the module, not a task). */
  answered: boolean;
  /** The worker's last error, reported when it exits. */
  error?: Error;
}

/**
 * A fixed-size pool of worker threads running one module. CPU-bound work (DICOM decoding, hashing) runs there so the
 * core's event loop stays responsive and every core is used. The worker module answers `{ id, result }` or
 * `{ id, error }` for each `{ id, task }` it receives, and may add `retire: true` to be replaced once idle (a worker
 * whose codecs grew their memory hands it back that way: WASM memory never shrinks, a new thread starts small).
 *
 * One bad task never stops the pool: a worker that crashes, runs out of memory or passes a task's time limit is
 * replaced, and each task it was running fails with a WorkerLostError that says whether the task was alone on it (the
 * caller decides whether to run the others again, alone: their transferred bytes went with the worker).
 */
export class WorkerPool<T, R> {
  private readonly slots: Slot<T, R>[] = [];
  private readonly queue: Queued<T, R>[] = [];
  private nextId = 1;
  private closed = false;
  /** Workers in a row that died before they could work; at three the module is taken to be broken. */
  private startFailures = 0;
  private broken: Error | null = null;

  constructor(
    private readonly moduleUrl: URL,
    private readonly poolSize = Math.max(1, Math.min(4, availableParallelism())),
    /** Tasks sent to one worker before it is considered busy (async work inside a worker overlaps). */
    private readonly perWorker = 2,
    private readonly options: WorkerPoolOptions = {},
  ) {
    for (let i = 0; i < poolSize; i++) this.spawn();
  }

  get size(): number {
    return this.poolSize;
  }

  get capacity(): number {
    return this.poolSize * this.perWorker;
  }

  /** Runs a task; `options` may be just a transfer list, as before options existed. */
  run(task: T, options: RunOptions | TransferListItem[] = {}): Promise<R> {
    const opts: RunOptions = Array.isArray(options) ? { transfer: options } : options;
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ task, transfer: opts.transfer ?? [], timeoutMs: opts.timeoutMs, solo: opts.solo ?? false, pending: { resolve, reject } });
      this.pump();
    });
  }

  private spawn(): void {
    const worker = createModuleWorker(this.moduleUrl, this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {});
    worker.unref();
    const slot: Slot<T, R> = { worker, inFlight: new Map(), retiring: false, solo: false, ready: !this.options.announcesReady, answered: false };
    worker.on('message', (msg: { id: number; result?: R; error?: string; retire?: boolean; ready?: boolean }) => {
      if (msg.ready) {
        slot.ready = true;
        this.startFailures = 0;
        this.pump();
      } else this.settle(slot, msg);
    });
    worker.on('error', (err) => (slot.error = err));
    worker.on('exit', (code) => {
      if (!this.slots.includes(slot)) return; // replaced on purpose
      const err = slot.error;
      const oom = (err as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const why = oom
        ? 'the reader ran out of memory'
        : err
          ? `the reader crashed (${err.message})`
          : `the reader stopped unexpectedly (exit code ${code})`;
      const diedAtStart = this.options.announcesReady ? !slot.ready : !slot.answered && slot.inFlight.size === 0;
      if (diedAtStart && ++this.startFailures >= 3) this.breakDown(new Error(`the worker module ${this.moduleUrl.pathname} cannot start: ${why}`));
      this.lose(slot, 'crashed', why);
    });
    this.slots.push(slot);
  }

  /** Head of the queue first: a solo task waits for an empty worker, and nothing overtakes it meanwhile. */
  private pump(): void {
    while (this.queue.length) {
      const head = this.queue[0]!;
      const open = this.slots.filter(
        (s) => s.ready && !s.retiring && !s.solo && (head.solo ? s.inFlight.size === 0 : s.inFlight.size < this.perWorker),
      );
      if (!open.length) return;
      const slot = open.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a));
      this.queue.shift();
      this.dispatch(slot, head);
    }
  }

  private dispatch(slot: Slot<T, R>, entry: Queued<T, R>): void {
    const id = this.nextId++;
    const timer =
      entry.timeoutMs !== undefined
        ? setTimeout(() => this.lose(slot, 'timed-out', `a task ran longer than ${entry.timeoutMs} ms`), entry.timeoutMs)
        : undefined;
    slot.inFlight.set(id, { entry, timer });
    if (entry.solo) slot.solo = true;
    if (slot.inFlight.size === 1) slot.worker.ref();
    slot.worker.postMessage({ id, task: entry.task }, entry.transfer);
  }

  private settle(slot: Slot<T, R>, msg: { id: number; result?: R; error?: string; retire?: boolean }): void {
    const running = slot.inFlight.get(msg.id);
    if (!running) return;
    slot.answered = true;
    this.startFailures = 0;
    clearTimeout(running.timer);
    slot.inFlight.delete(msg.id);
    if (msg.retire) slot.retiring = true;
    if (slot.inFlight.size === 0) {
      slot.solo = false;
      slot.worker.unref();
      if (slot.retiring) this.replace(slot);
    }
    if (msg.error !== undefined) running.entry.pending.reject(new Error(msg.error));
    else running.entry.pending.resolve(msg.result as R);
    this.pump();
  }

  /** Takes a slot out of the pool and terminates its worker; starts a new one in its place unless the pool closed. */
  private replace(slot: Slot<T, R>): void {
    const at = this.slots.indexOf(slot);
    if (at < 0) return;
    this.slots.splice(at, 1);
    void slot.worker.terminate();
    if (!this.closed && !this.broken) this.spawn();
  }

  /** Stops replacing workers and fails everything queued: the module itself does not start. */
  private breakDown(err: Error): void {
    this.broken = err;
    for (const { pending } of this.queue.splice(0)) pending.reject(err);
  }

  /** A worker died or overran: replace it and fail what it was running, saying whether each task was alone on it. */
  private lose(slot: Slot<T, R>, kind: WorkerLostError['kind'], why: string): void {
    if (!this.slots.includes(slot)) return;
    this.replace(slot);
    const running = [...slot.inFlight.values()];
    slot.inFlight.clear();
    for (const { entry, timer } of running) {
      clearTimeout(timer);
      entry.pending.reject(new WorkerLostError(kind, why, running.length === 1));
    }
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const { pending } of this.queue.splice(0)) pending.reject(new Error('worker pool closed'));
    const slots = this.slots.splice(0);
    for (const s of slots) for (const { timer } of s.inFlight.values()) clearTimeout(timer);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
