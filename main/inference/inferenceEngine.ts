import type { Worker } from 'node:worker_threads';
import { createModuleWorker } from '../platform/moduleWorker.js';
import * as ort from 'onnxruntime-node';
import { providerCandidates, type ProviderName, type ProviderSetting } from './providers.js';
import type { InputSpec, PreprocessImage } from './preprocess.js';
import type { TensorInfo, WireTensor, WorkerReply, WorkerRequest } from './workerProtocol.js';

export interface EngineOptions {
  /** `auto` (default) picks from what the platform offers; a named provider is tried first, CPU is the fallback. */
  provider?: ProviderSetting;
  /** onnxruntime intra-op threads; default lets onnxruntime decide. */
  intraOpThreads?: number;
  /** Where fallbacks are reported (a GPU provider that could not create the session). */
  log?: (line: string) => void;
}

/** Providers the installed onnxruntime-node build offers on this platform. */
export function offeredProviders(): string[] {
  return ort.listSupportedBackends().map((b) => b.name);
}

/** The worker module next to this one, in whichever form (TypeScript under Vitest/tsx, JavaScript when built) runs. */
function spawnWorker(): Worker {
  return createModuleWorker(new URL(`./inferenceWorker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
}

/**
 * One onnxruntime session owned by a worker thread. `run` sends input tensors there (transferring their buffers)
 * and resolves with the outputs; calls are queued so a batch never competes with another for the cores.
 */
export class InferenceEngine {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: { outputs: Record<string, WireTensor>; ms: number }) => void; reject: (e: Error) => void }>();
  private readonly pendingPrepare = new Map<number, { resolve: (r: { resized: Float32Array[]; ms: number }) => void; reject: (e: Error) => void }>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    readonly modelPath: string,
    readonly provider: ProviderName,
    /** Providers that were tried before `provider` and why each failed. */
    readonly failures: string[],
    readonly inputs: TensorInfo[],
    readonly outputs: TensorInfo[],
  ) {
    worker.on('message', (msg: WorkerReply) => {
      const prep = (msg.type === 'prepared' || msg.type === 'error') && msg.id !== null ? this.pendingPrepare.get(msg.id) : undefined;
      if (prep) {
        this.pendingPrepare.delete((msg as { id: number }).id);
        if (msg.type === 'prepared') prep.resolve({ resized: msg.resized, ms: msg.ms });
        else if (msg.type === 'error') prep.reject(new Error(`${modelPath}: preprocessing failed: ${msg.message}`));
        return;
      }
      if (msg.type === 'result' || (msg.type === 'error' && msg.id !== null)) {
        const p = this.pending.get(msg.id!);
        if (!p) return;
        this.pending.delete(msg.id!);
        if (msg.type === 'result') p.resolve({ outputs: msg.outputs, ms: msg.ms });
        else p.reject(new Error(`${modelPath}: inference failed: ${msg.message}`));
      }
    });
    const failAll = (err: Error) => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      for (const p of this.pendingPrepare.values()) p.reject(err);
      this.pendingPrepare.clear();
    };
    worker.on('error', (err) => failAll(err));
    worker.on('exit', (code) => {
      if (!this.closed) failAll(new Error(`${modelPath}: inference worker exited (code ${code})`));
    });
  }

  /** Starts a worker and opens the model there with the first provider that works. */
  static async open(modelPath: string, options: EngineOptions = {}): Promise<InferenceEngine> {
    const providers = providerCandidates(options.provider ?? 'auto', offeredProviders());
    const worker = spawnWorker();
    const opened = await new Promise<Extract<WorkerReply, { type: 'opened' }>>((resolve, reject) => {
      const onMessage = (msg: WorkerReply) => {
        if (msg.type === 'opened') resolve(msg);
        else if (msg.type === 'error') reject(new Error(msg.message));
        else return;
        worker.off('message', onMessage);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      const req: WorkerRequest = { type: 'open', modelPath, providers, ...(options.intraOpThreads ? { intraOpThreads: options.intraOpThreads } : {}) };
      worker.postMessage(req);
    }).catch(async (err: unknown) => {
      await worker.terminate();
      throw err;
    });
    if (opened.failures.length) {
      (options.log ?? console.warn)(`[inference] ${modelPath}: using ${opened.provider}; fell back from ${opened.failures.join('; ')}`);
    }
    return new InferenceEngine(worker, modelPath, opened.provider, opened.failures, opened.inputs, opened.outputs);
  }

  /** Runs one batch. Input buffers are transferred to the worker: do not reuse them afterwards. */
  run(feeds: Record<string, WireTensor>): Promise<{ outputs: Record<string, WireTensor>; ms: number }> {
    if (this.closed) return Promise.reject(new Error(`${this.modelPath}: engine is closed`));
    const task = this.queue.then(
      () =>
        new Promise<{ outputs: Record<string, WireTensor>; ms: number }>((resolve, reject) => {
          const id = this.nextId++;
          this.pending.set(id, { resolve, reject });
          const transfer = Object.values(feeds).map((t) => t.data.buffer as ArrayBuffer);
          const req: WorkerRequest = { type: 'run', id, feeds };
          this.worker.postMessage(req, transfer);
        }),
    );
    this.queue = task.catch(() => undefined);
    return task;
  }

  /**
   * Resizes and normalises a batch in the worker (not queued behind runs, so the next batch is prepared while the
   * current one is inferred). Displayed images' buffers are transferred; decoded frames are copied (they may be the
   * shared cache's). Resolves with the resized images and an id for `runPrepared`.
   */
  prepare(images: readonly PreprocessImage[], spec: InputSpec): Promise<{ preparedId: number; resized: Float32Array[]; ms: number }> {
    if (this.closed) return Promise.reject(new Error(`${this.modelPath}: engine is closed`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pendingPrepare.set(id, { resolve: (r) => resolve({ preparedId: id, ...r }), reject });
      const req: WorkerRequest = {
        type: 'prepare',
        id,
        images: images.map((i) => ('gray' in i ? { width: i.width, height: i.height, gray: i.gray } : { width: i.width, height: i.height, frame: i.frame, display: i.display })),
        spec,
      };
      // Transfer whole, unshared buffers only; a view into a larger buffer is copied instead.
      const transfer = new Set<ArrayBuffer>();
      for (const i of images) {
        if (!('gray' in i)) continue;
        const b = i.gray.buffer;
        if (b instanceof ArrayBuffer && i.gray.byteOffset === 0 && i.gray.byteLength === b.byteLength) transfer.add(b);
      }
      this.worker.postMessage(req, [...transfer]);
    });
  }

  /** Runs a batch prepared in the worker, queued like `run`. */
  runPrepared(preparedId: number, inputName: string, dims: number[]): Promise<{ outputs: Record<string, WireTensor>; ms: number }> {
    if (this.closed) return Promise.reject(new Error(`${this.modelPath}: engine is closed`));
    const task = this.queue.then(
      () =>
        new Promise<{ outputs: Record<string, WireTensor>; ms: number }>((resolve, reject) => {
          const id = this.nextId++;
          this.pending.set(id, { resolve, reject });
          const req: WorkerRequest = { type: 'runPrepared', id, preparedId, inputName, dims };
          this.worker.postMessage(req);
        }),
    );
    this.queue = task.catch(() => undefined);
    return task;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.worker.terminate();
  }
}
