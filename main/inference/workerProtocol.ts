import type { ProviderName } from './providers.js';
import type { InputSpec, PreprocessImage } from './preprocess.js';

/** A tensor crossing the worker boundary (its buffer is transferred, not copied). */
export interface WireTensor {
  data: Float32Array;
  dims: number[];
}

export interface TensorInfo {
  name: string;
  /** Dimensions as the ONNX file declares them: numbers, or symbolic names for dynamic ones. */
  shape: Array<number | string>;
  type: string;
}

export type WorkerRequest =
  | { type: 'open'; modelPath: string; providers: ProviderName[]; intraOpThreads?: number }
  | { type: 'run'; id: number; feeds: Record<string, WireTensor> }
  /** Resize + normalise a batch in the worker; the tensor stays there for `runPrepared`. */
  | { type: 'prepare'; id: number; images: PreprocessImage[]; spec: InputSpec }
  | { type: 'runPrepared'; id: number; preparedId: number; inputName: string; dims: number[] }
  | { type: 'discard'; preparedId: number }
  | { type: 'close' };

export type WorkerReply =
  | { type: 'opened'; provider: ProviderName; failures: string[]; inputs: TensorInfo[]; outputs: TensorInfo[] }
  | { type: 'result'; id: number; outputs: Record<string, WireTensor>; ms: number }
  | { type: 'prepared'; id: number; resized: Float32Array[]; ms: number }
  | { type: 'error'; id: number | null; message: string }
  | { type: 'closed' };
