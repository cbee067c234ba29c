import { join } from 'node:path';
import { localise, type Localisation } from '../findings/localize.js';
import { downsample, lungField } from '../findings/lungMask.js';
import { InferenceEngine, type EngineOptions } from './inferenceEngine.js';
import { packGeometry, type ModelManifest, type PackGeometry } from './manifest.js';
import type { PreprocessImage } from './preprocess.js';
import type { ProviderName } from './providers.js';
import type { WireTensor } from './workerProtocol.js';
import { assessQuality, type ImageTags, type QualityReport } from './quality.js';

/**
 * An image ready for analysis: the displayed greyscale pixels, or the decoded frame they are made from (turned into
 * them in the inference worker), and the DICOM tags the quality gate reads.
 */
export type AnalysisInput = PreprocessImage & { meta: ImageTags };

/** What stays on this thread of an image handed to the worker: its size and tags. */
export interface AnalysedImage {
  width: number;
  height: number;
  meta: ImageTags;
}

/** Everything computed for one image, before it is stored. */
export interface ImageAnalysis {
  probabilities: Float32Array;
  logits: Float32Array | null;
  embedding: Float32Array | null;
  /** labels × rows × cols, in label order. */
  cam: Float32Array | null;
  camRows: number | null;
  camCols: number | null;
  quality: QualityReport;
  /** Per label, when the pack has a CAM. */
  localisations: Record<string, Localisation>;
  lungFieldSource: 'image' | 'template';
  provider: ProviderName;
  /** This image's share of the batch's session.run time. */
  inferenceMs: number;
  /** This image's share of preprocessing + inference + quality/CAM work (decode and store are timed by the caller). */
  computeMs: number;
}

/** Long side of the grid CAMs are localised on (the lung field is found on the same grid). */
export const LOCALISATION_GRID = 64;

/** A batch resized and normalised into one input tensor. */
export interface PreparedBatch {
  /** Sizes and tags of the images (their pixels were handed to the worker). */
  images: readonly AnalysedImage[];
  resized: Float32Array[];
  /** The input tensor's id in the worker. */
  preparedId: number;
  prepareMs: number;
}

export interface BatchOutputs {
  outputs: Record<string, WireTensor>;
  ms: number;
}

function slice(data: Float32Array, index: number, size: number): Float32Array {
  return data.slice(index * size, (index + 1) * size);
}

/**
 * Runs one model pack over batches of images: resize and normalise exactly as the manifest says, one session.run
 * per batch in the worker thread, then quality gate and CAM localisation per image.
 */
export class Analyzer {
  readonly geometry: PackGeometry;

  private constructor(
    readonly engine: InferenceEngine,
    readonly manifest: ModelManifest,
    readonly dir: string,
  ) {
    this.geometry = packGeometry(manifest);
  }

  static async open(pack: { dir: string; manifest: ModelManifest }, options: EngineOptions = {}): Promise<Analyzer> {
    const engine = await InferenceEngine.open(join(pack.dir, pack.manifest.file), options);
    return new Analyzer(engine, pack.manifest, pack.dir);
  }

  get provider(): ProviderName {
    return this.engine.provider;
  }

/**
   * Resizes and normalises a batch into one input tensor (the part that can run while the worker infers the
   * previous batch).
   */
  async prepare(images: readonly AnalysisInput[]): Promise<PreparedBatch> {
    const t0 = performance.now();
    // Pixels go to the worker (transferred, not copied); only the sizes and tags stay here.
    const kept = images.map((img) => ({ width: img.width, height: img.height, meta: img.meta }));
    const { preparedId, resized } = await this.engine.prepare(images, this.manifest.input);
    return { images: kept, resized, preparedId, prepareMs: performance.now() - t0 };
  }

  /** One session.run in the worker thread on a prepared batch. */
  async infer(batch: PreparedBatch): Promise<BatchOutputs> {
    const { width: W, height: H, channels, inputName } = this.geometry;
    const n = batch.images.length;
    const { outputs, ms } = await this.engine.runPrepared(batch.preparedId, inputName, [n, channels, H, W]);
    return { outputs, ms };
  }

  /** Splits the outputs per image and runs the quality gate and CAM localisation. */
  finish(batch: PreparedBatch, result: BatchOutputs): ImageAnalysis[] {
    const t0 = performance.now();
    const { width: W, height: H, labels, embeddingDim, camGrid } = this.geometry;
    const { outputs, ms } = result;
    const { images, resized } = batch;
    const n = images.length;
    const o = this.manifest.outputs;
    const L = labels.length;
    const probs = outputs.probabilities?.data;
    if (!probs || probs.length !== n * L) throw new Error(`${this.manifest.id}: output "probabilities" missing or of the wrong size`);
    const logits = o.logits ? outputs.logits?.data : undefined;
    const emb = o.embedding && embeddingDim ? outputs.embedding?.data : undefined;
    const cam = o.cam && camGrid ? outputs.cam?.data : undefined;
    const camSize = camGrid ? L * camGrid.rows * camGrid.cols : 0;

    const results: ImageAnalysis[] = images.map((img, i) => {
      const quality = assessQuality(img.meta, resized[i]!, W, H, img);
      const gw = Math.max(1, Math.round((LOCALISATION_GRID * W) / Math.max(W, H)));
      const gh = Math.max(1, Math.round((LOCALISATION_GRID * H) / Math.max(W, H)));
      const field = lungField(downsample(resized[i]!, W, H, gw, gh), gw, gh);
      const camI = cam ? slice(cam, i, camSize) : null;
      const localisations: Record<string, Localisation> = {};
      if (camI && camGrid) {
        const plane = camGrid.rows * camGrid.cols;
        labels.forEach((label, k) => {
          localisations[label] = localise(camI.subarray(k * plane, (k + 1) * plane), camGrid.rows, camGrid.cols, field, img);
        });
      }
      return {
        probabilities: slice(probs, i, L),
        logits: logits ? slice(logits, i, L) : null,
        embedding: emb && embeddingDim ? slice(emb, i, embeddingDim) : null,
        cam: camI,
        camRows: camGrid?.rows ?? null,
        camCols: camGrid?.cols ?? null,
        quality,
        localisations,
        lungFieldSource: field.source,
        provider: this.engine.provider,
        inferenceMs: ms / n,
        computeMs: 0,
      };
    });
    const perImage = (batch.prepareMs + ms + (performance.now() - t0)) / n;
    for (const r of results) r.computeMs = perImage;
    return results;
  }

  /** prepare → infer → finish for one batch (calibration, tests); the analysis job pipelines the three. */
  async analyseBatch(images: readonly AnalysisInput[]): Promise<ImageAnalysis[]> {
    if (!images.length) return [];
    const batch = await this.prepare(images);
    return this.finish(batch, await this.infer(batch));
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}
