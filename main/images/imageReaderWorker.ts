/**
 * The image reader's worker thread: decodes indexed files and encodes the viewer's pixels off the core's event loop
 * (a large JPEG 2000 or a huge PNG takes seconds of CPU; the API and WebSocket keep answering meanwhile).
 * Started by ImageReader through the worker pool; answers `{ id, result }` or `{ id, error }`.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import type { DecodeLimits } from './decodeLimits.js';
import { displayLevelFactor } from './displayLevel.js';
import { loadImage, type ImageFormat, type LoadedImage } from './loadImage.js';
import { encodeViewerPixels } from './viewerPixels.js';
import type { PixelSpacing } from './types.js';

export type ReaderTask =
  /** The first frame, decoded (for analysis and the shared cache). */
  | { kind: 'decode'; filePath: string; format: ImageFormat; limits: DecodeLimits }
  /** Decode and encode for the viewer; with `keep`, the decoded image comes back too (unless it is over the display limits). */
  | { kind: 'viewer'; filePath: string; format: ImageFormat; limits: DecodeLimits; spacing: PixelSpacing | null; keep: boolean }
  /** Encode an image already decoded (found in the cache) for the viewer. */
  | { kind: 'encode'; image: Pick<LoadedImage, 'frame' | 'display'>; spacing: PixelSpacing | null };

export interface ReaderResult {
  image?: LoadedImage;
  pixels?: Uint8Array;
}

/** Memory kept between tasks above which the thread asks to be replaced (WASM codec heaps never shrink). */
const RETIRE_ABOVE_BYTES = 384 * 1024 * 1024;

function ownBuffer(view: ArrayBufferView): ArrayBuffer | null {
  const b = view.buffer;
  return b instanceof ArrayBuffer && view.byteOffset === 0 && view.byteLength === b.byteLength ? b : null;
}

async function run(task: ReaderTask): Promise<{ result: ReaderResult; transfer: ArrayBuffer[] }> {
  switch (task.kind) {
    case 'decode': {
      const image = await loadImage(task.filePath, task.format, task.limits);
      return { result: { image }, transfer: [ownBuffer(image.frame.data)].filter((b): b is ArrayBuffer => b !== null) };
    }
    case 'viewer': {
      const image = await loadImage(task.filePath, task.format, task.limits);
      const pixels = encodeViewerPixels(image, task.spacing);
      // An image too large to be sent whole is too large to keep decoded: only its level comes back.
      const keep = task.keep && displayLevelFactor(image.frame.width, image.frame.height) === 1;
      const transfer = [ownBuffer(pixels)];
      if (keep) transfer.push(ownBuffer(image.frame.data));
      return { result: keep ? { image, pixels } : { pixels }, transfer: transfer.filter((b): b is ArrayBuffer => b !== null) };
    }
    case 'encode': {
      const pixels = encodeViewerPixels(task.image, task.spacing);
      return { result: { pixels }, transfer: [ownBuffer(pixels)].filter((b): b is ArrayBuffer => b !== null) };
    }
  }
}

parentPort?.on('message', async ({ id, task }: { id: number; task: ReaderTask }) => {
  let reply: { id: number; result?: ReaderResult; error?: string; retire?: boolean };
  let transfer: ArrayBuffer[] = [];
  try {
    const done = await run(task);
    reply = { id, result: done.result };
    transfer = done.transfer;
  } catch (err) {
    reply = { id, error: err instanceof Error ? err.message : String(err) };
  }
  const heap = getHeapStatistics();
  reply.retire = heap.external_memory + heap.used_heap_size > RETIRE_ABOVE_BYTES;
  parentPort!.postMessage(reply, transfer);
});

parentPort?.postMessage({ ready: true });
