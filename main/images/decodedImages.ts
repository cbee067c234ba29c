import { LruCache } from '../platform/lruCache.js';
import type { ImageReader } from './imageReader.js';
import type { ImageFormat, LoadedImage } from './loadImage.js';
import type { PixelSpacing } from './types.js';

/** An indexed file as the reader needs it; the content hash names its pixels (a changed file is a new entry). */
export interface IndexedImageFile {
  filePath: string;
  format: ImageFormat;
  contentHash: string;
}

/** Decoded frames and viewer encodings kept together (a 1024² 8-bit PNG is 1 MB decoded, 2 MB encoded). */
export const DECODED_CACHE_BYTES = 384 * 1024 * 1024;

function weigh(v: LoadedImage | Uint8Array): number {
  return v instanceof Uint8Array ? v.byteLength : v.frame.data.byteLength;
}

/**
 * The one bounded cache of decoded pixels, shared by the viewer and analysis: an image is decoded once (in the
 * reader's worker) whoever asks first, and the other finds it here. Requests for an image whose decoding is in
 * flight wait for that decode instead of starting another. Entries are keyed by content hash, so a changed file is
 * never served from its old pixels. Values are shared: callers must not modify them.
 */
export class DecodedImages {
  private readonly cache: LruCache<string, LoadedImage | Uint8Array>;
  private readonly inFlight = new Map<string, Promise<LoadedImage | Uint8Array>>();
  /** Decodes started, and requests answered from an earlier decode (tests and benchmarks read them). */
  readonly stats = { decoded: 0, reused: 0 };

  constructor(
    private readonly reader: ImageReader,
    maxBytes = DECODED_CACHE_BYTES,
  ) {
    this.cache = new LruCache(maxBytes, weigh);
  }

  /** The decoded first frame of an indexed file: kept, in flight, or decoded now (and kept). */
  async image(file: IndexedImageFile): Promise<LoadedImage> {
    const key = `d:${file.contentHash}`;
    const found = this.cache.get(key) ?? this.inFlight.get(key);
    if (found) {
      this.stats.reused++;
      return found as LoadedImage | Promise<LoadedImage>;
    }
    this.stats.decoded++;
    return this.once(key, async () => {
      const image = await this.reader.decode(file.filePath, file.format);
      this.keep(file.contentHash, image);
      return image;
    }) as Promise<LoadedImage>;
  }

  /** Keeps an image decoded elsewhere (the importer's worker) for the viewer and analysis. */
  keep(contentHash: string, image: LoadedImage): void {
    this.cache.set(`d:${contentHash}`, image);
  }

  /**
   * The viewer's pixels of one instance (its spacing is in the header): kept, or encoded from the kept decoded
   * image, or decoded and encoded in one trip to the reader (the decoded image is kept for analysis).
   */
  async viewerPixels(instanceId: number, file: IndexedImageFile, spacing: PixelSpacing | null): Promise<Uint8Array> {
    const key = `v:${instanceId}:${file.contentHash}`;
    const found = this.cache.get(key) ?? this.inFlight.get(key);
    if (found) return found as Uint8Array | Promise<Uint8Array>;
    return this.once(key, async () => {
      const dKey = `d:${file.contentHash}`;
      const flying = this.inFlight.get(dKey)?.catch(() => undefined);
      const decoded = (this.cache.get(dKey) ?? (await flying)) as LoadedImage | undefined;
      let pixels: Uint8Array;
      if (decoded) {
        this.stats.reused++;
        pixels = await this.reader.encode(decoded, spacing);
      } else {
        this.stats.decoded++;
        const r = await this.reader.viewer(file.filePath, file.format, spacing, true);
        if (r.image) this.keep(file.contentHash, r.image);
        pixels = r.pixels;
      }
      this.cache.set(key, pixels);
      return pixels;
    }) as Promise<Uint8Array>;
  }

  /** Runs one request for this key; requests for the same key meanwhile share it (a failed one is not kept). */
  private once(key: string, work: () => Promise<LoadedImage | Uint8Array>): Promise<LoadedImage | Uint8Array> {
    const p = work().finally(() => {
      if (this.inFlight.get(key) === p) this.inFlight.delete(key);
    });
    this.inFlight.set(key, p);
    return p;
  }
}
