import { availableParallelism } from 'node:os';
import { WorkerPool } from '../platform/workerPool.js';
import type { DecodeLimits } from './decodeLimits.js';
import type { ReaderResult, ReaderTask } from './imageReaderWorker.js';
import type { ImageFormat, LoadedImage } from './loadImage.js';
import type { PixelSpacing } from './types.js';

const WORKER_URL = new URL(`./imageReaderWorker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** What reading an indexed file may cost: the site's decode limits, and the time one file may take. */
export interface ReadLimits extends DecodeLimits {
  maxFileSeconds: number;
}

/**
 * A reader's JavaScript heap (the DICOM parser's elements); pixel buffers live outside it and are bounded by the
 * decode limits checked before they are allocated.
 */
const WORKER_HEAP_MB = 512;

/**
 * Decodes indexed files in worker threads, for the viewer and for analysis. Its threads are few on purpose: on a
 * two-core machine one reader thread decodes the next batch while inference has the other core (see
 * bench/inference.ts), and the viewer's requests queue behind at most one batch.
 */
export class ImageReader {
  private pool: WorkerPool<ReaderTask, ReaderResult> | null = null;

  constructor(
    /** The limits in force, read at each call (the site's import limits: an image it admitted can be shown). */
    private readonly limits: () => ReadLimits,
    private readonly threads = Math.max(1, Math.min(2, availableParallelism() - 1)),
  ) {}

  /** The first frame of an indexed file, decoded. */
  async decode(filePath: string, format: ImageFormat): Promise<LoadedImage> {
    const { image } = await this.run((limits) => ({ kind: 'decode', filePath, format, limits }));
    if (!image) throw new Error(`${filePath}: the reader returned no image`);
    return image;
  }

  /** The viewer's pixels of an indexed file, and (with `keep`, when not over the display limits) its decoded image. */
  async viewer(filePath: string, format: ImageFormat, spacing: PixelSpacing | null, keep: boolean): Promise<{ pixels: Uint8Array; image: LoadedImage | null }> {
    const r = await this.run((limits) => ({ kind: 'viewer', filePath, format, limits, spacing, keep }));
    if (!r.pixels) throw new Error(`${filePath}: the reader returned no pixels`);
    return { pixels: r.pixels, image: r.image ?? null };
  }

  /** The viewer's pixels of an image already decoded (sent to the worker as a copy: the caller keeps its own). */
  async encode(image: Pick<LoadedImage, 'frame' | 'display'>, spacing: PixelSpacing | null): Promise<Uint8Array> {
    const r = await this.run(() => ({ kind: 'encode', image: { frame: image.frame, display: image.display }, spacing }));
    if (!r.pixels) throw new Error('the reader returned no pixels');
    return r.pixels;
  }

  private run(task: (limits: DecodeLimits) => ReaderTask): Promise<ReaderResult> {
    const { maxFileSeconds, ...limits } = this.limits();
    this.pool ??= new WorkerPool<ReaderTask, ReaderResult>(WORKER_URL, this.threads, 2, {
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      announcesReady: true,
    });
    return this.pool.run(task({ maxDeclaredPixels: limits.maxDeclaredPixels, maxDecodedBytes: limits.maxDecodedBytes }), {
      timeoutMs: maxFileSeconds * 1000,
    });
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
  }
}
