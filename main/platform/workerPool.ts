import { availableParallelism } from 'node:os';
import type { TransferListItem, Worker } from 'node:worker_threads';
import { createModuleWorker } from './moduleWorker.js';

interface Pending<R> {
  resolve(value: R): void;
  reject(err: Error): void;
}

/**
 * A fixed pool of worker threads running one module. CPU-bound work (DICOM decoding, hashing) runs there so the
 * core's event loop stays responsive and every core is used. The worker module answers `{ id, result }` or
 * `{ id, error }` for each `{ id, task }` it receives.
 */
export class WorkerPool<T, R> {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Array<{ task: T; transfer: TransferListItem[]; pending: Pending<R> }> = [];
  private readonly inFlight = new Map<Worker, Map<number, Pending<R>>>();
  private nextId = 1;
  private closed = false;

  constructor(
    moduleUrl: URL,
    size = Math.max(1, Math.min(4, availableParallelism())),
    /** Tasks sent to one worker before it is considered busy (async work inside a worker overlaps). */
    private readonly perWorker = 2,
  ) {
    for (let i = 0; i < size; i++) {
      const w = createModuleWorker(moduleUrl);
      w.unref();
      this.inFlight.set(w, new Map());
      w.on('message', (msg: { id: number; result?: R; error?: string }) => this.settle(w, msg));
      w.on('error', (err) => this.failWorker(w, err));
      this.workers.push(w);
      for (let k = 0; k < perWorker; k++) this.idle.push(w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  get capacity(): number {
    return this.workers.length * this.perWorker;
  }

  run(task: T, transfer: TransferListItem[] = []): Promise<R> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ task, transfer, pending: { resolve, reject } });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length && this.queue.length) {
      const w = this.idle.shift()!;
      const { task, transfer, pending } = this.queue.shift()!;
      const id = this.nextId++;
      this.inFlight.get(w)!.set(id, pending);
      if (this.inFlight.get(w)!.size === 1) w.ref();
      w.postMessage({ id, task }, transfer);
    }
  }

  private settle(w: Worker, msg: { id: number; result?: R; error?: string }): void {
    const map = this.inFlight.get(w)!;
    const pending = map.get(msg.id);
    if (!pending) return;
    map.delete(msg.id);
    if (map.size === 0) w.unref();
    this.idle.push(w);
    if (msg.error !== undefined) pending.reject(new Error(msg.error));
    else pending.resolve(msg.result as R);
    this.pump();
  }

  private failWorker(w: Worker, err: Error): void {
    for (const p of this.inFlight.get(w)!.values()) p.reject(err);
    this.inFlight.get(w)!.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const { pending } of this.queue.splice(0)) pending.reject(new Error('worker pool closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
