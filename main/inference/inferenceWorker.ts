/**
 * The worker thread that owns an onnxruntime session, so inference never blocks the main event loop.
 * Started by InferenceEngine; speaks the messages of workerProtocol.ts.
 */
import { parentPort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { TensorInfo, WireTensor, WorkerReply, WorkerRequest } from './workerProtocol.js';
import type { ProviderName } from './providers.js';
import { prepareBatch, type PreprocessImage } from './preprocess.js';

if (!parentPort) throw new Error('inferenceWorker must run in a worker thread');
const port = parentPort;
let session: ort.InferenceSession | null = null;
/** Input tensors prepared ahead of their run (the next batch is prepared while the current one runs). */
const prepared = new Map<number, Float32Array>();

function post(reply: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(reply, transfer);
}

function describe(meta: readonly ort.InferenceSession.ValueMetadata[]): TensorInfo[] {
  return meta.map((m) =>
    m.isTensor ? { name: m.name, shape: [...m.shape], type: m.type } : { name: m.name, shape: [], type: 'non-tensor' },
  );
}

async function open(modelPath: string, providers: ProviderName[], intraOpThreads?: number): Promise<void> {
  const failures: string[] = [];
  for (const provider of providers) {
    try {
      const s = await ort.InferenceSession.create(modelPath, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        // A GPU provider that cannot load logs its own errors at level 3; we report the failure ourselves.
        ...(provider === 'cpu' ? {} : { logSeverityLevel: 4 as const }),
        ...(intraOpThreads ? { intraOpNumThreads: intraOpThreads } : {}),
        // Idle intra-op threads would otherwise spin after each run and take the cores that decode and resize the
        // next batch need (the analysis pipeline overlaps them with inference).
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      });
      session = s;
      post({ type: 'opened', provider, failures, inputs: describe(s.inputMetadata), outputs: describe(s.outputMetadata) });
      return;
    } catch (err) {
      failures.push(`${provider}: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300)}`);
    }
  }
  post({ type: 'error', id: null, message: `${modelPath}: no execution provider could create a session (${failures.join('; ')})` });
}

async function run(id: number, feeds: Record<string, WireTensor>): Promise<void> {
  if (!session) return post({ type: 'error', id, message: 'no session is open' });
  const ortFeeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor('float32', t.data, t.dims);
  const t0 = performance.now();
  const result = await session.run(ortFeeds);
  const ms = performance.now() - t0;
  const outputs: Record<string, WireTensor> = {};
  const transfer: ArrayBuffer[] = [];
  for (const [name, tensor] of Object.entries(result)) {
    // Copy out of onnxruntime's buffer so it can be transferred without aliasing native memory.
    const data = Float32Array.from(tensor.data as Float32Array);
    outputs[name] = { data, dims: [...tensor.dims] };
    transfer.push(data.buffer);
  }
  post({ type: 'result', id, outputs, ms }, transfer);
}

function prepare(id: number, images: PreprocessImage[], spec: Parameters<typeof prepareBatch>[1]): void {
  const t0 = performance.now();
  const { resized, input } = prepareBatch(images, spec);
  prepared.set(id, input);
  post({ type: 'prepared', id, resized, ms: performance.now() - t0 }, resized.map((r) => r.buffer as ArrayBuffer));
}

port.on('message', (msg: WorkerRequest) => {
  const handle = async () => {
    switch (msg.type) {
      case 'open':
        return open(msg.modelPath, msg.providers, msg.intraOpThreads);
      case 'run':
        return run(msg.id, msg.feeds);
      case 'prepare':
        return prepare(msg.id, msg.images, msg.spec);
      case 'runPrepared': {
        const input = prepared.get(msg.preparedId);
        prepared.delete(msg.preparedId);
        if (!input) return post({ type: 'error', id: msg.id, message: `no prepared batch ${msg.preparedId}` });
        return run(msg.id, { [msg.inputName]: { data: input, dims: msg.dims } });
      }
      case 'discard':
        prepared.delete(msg.preparedId);
        return;
      case 'close':
        await session?.release();
        session = null;
        post({ type: 'closed' });
        return;
    }
  };
  handle().catch((err: unknown) => {
    const id = msg.type === 'run' || msg.type === 'prepare' || msg.type === 'runPrepared' ? msg.id : null;
    post({ type: 'error', id, message: err instanceof Error ? err.message : String(err) });
  });
});
