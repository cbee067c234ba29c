import { triageOf } from '../findings/triage.js';
import type { AuditTrail } from '../audit/auditTrail.js';
import type { AnalysisRepository } from '../db/analysisRepository.js';
import type { DbHandle } from '../db/connection.js';
import type { IndexRepository } from '../db/indexRepository.js';
import type { QualityOverrideRepository } from '../db/qualityOverrideRepository.js';
import { findingsOf } from '../findings/presentAnalysis.js';
import type { OperatingPoints } from '../findings/operatingPoints.js';
import type { DecodedImages } from '../images/decodedImages.js';
import type { EventBus } from '../platform/eventBus.js';
import type { JobControl } from '../platform/jobRunner.js';
import type { AnalysisInput, ImageAnalysis } from './analyzer.js';
import type { AnalyzerHost } from './analyzerHost.js';
import type { Pack } from './packRegistry.js';

/** Images per session.run: large enough to amortise the call, small enough to keep progress and cancel responsive. */
export const ANALYSIS_BATCH = 8;

/**
 * Batches handed to the inference worker and not yet stored: one inferring, one prepared behind it. A producer
 * (decoding in the image reader, or an import) waits beyond that, so memory stays bounded whatever its speed.
 */
const BATCHES_IN_FLIGHT = 2;

/** What analysing indexed images reads and writes. */
export interface AnalysisPipelineDeps {
  db: Pick<DbHandle, 'transaction'>;
  analyses: AnalysisRepository;
  /** Readers' overrides of the quality gate: an overridden image counts as shown. */
  overrides: QualityOverrideRepository;
  index: IndexRepository;
  analyzers: AnalyzerHost;
  operatingPoints: OperatingPoints;
  audit: AuditTrail;
  events: EventBus;
  /** Decoded pixels shared with the viewer (decoding runs in the image reader's worker, off the event loop). */
  images: Pick<DecodedImages, 'image'>;
}

/** What a run did. */
export interface AnalysisOutcome {
  studies: Set<number>;
  failures: string[];
  provider: string;
  analysed: number;
}

/**
 * Analyses images as they are handed in, with one pack, in batches: the inference worker resizes batch b+1 while it
 * infers batch b, and this thread runs the quality gate, CAM localisation and storage of batch b−1 meanwhile. Each
 * result is stored as it comes (one transaction per batch) with its audit entry; a failing image is counted and
 * skipped. `analysis:start` feeds it from the shared decoded-image cache; an import feeds it the pixels its workers
 * decoded, so both follow the same rules.
 */
export interface AnalysisRun {
  /** Hands in one image; resolves once the pipeline has room for more (the caller's backpressure). */
  add(instanceId: number, input: AnalysisInput, decodeMs?: number): Promise<void>;
  /** Counts an image that could not be read. */
  fail(instanceId: number, err: unknown): void;
  /** Analyses what is left and waits for every image handed in. */
  finish(): Promise<AnalysisOutcome>;
}

/** Opens a run: the pack's analyzer (a worker with its session), the operating points in force, who acts. */
export async function openAnalysisRun(
  deps: Omit<AnalysisPipelineDeps, 'images'>,
  pack: Pack,
  options: { batchSize?: number; onProgress?: (analysed: number, failed: number) => void } = {},
): Promise<AnalysisRun> {
  const { index, analyses } = deps;
  const analyzer = await deps.analyzers.analyzer(pack);
  const { id: packId, version } = pack.manifest;
  const failures: string[] = [];
  const studies = new Set<number>();
  const batchSize = options.batchSize ?? ANALYSIS_BATCH;
  const progress = options.onProgress ?? (() => undefined);
  let analysed = 0;
  // Who ran it, with which model and operating points (each label's threshold and where it came from, or "not
  // calibrated"): one audit entry per image analysed.
  const actor = deps.audit.actor();
  const points = await deps.operatingPoints.inForce(packId, version, pack.manifest.labels);

  type Decoded = { instanceId: number; input: { width: number; height: number }; decodeMs: number };
  const fail = (instanceId: number, err: unknown) => failures.push(`instance ${instanceId}: ${err instanceof Error ? err.message : String(err)}`);
  const store = (decoded: Decoded[], results: ImageAnalysis[]) => {
    deps.db.transaction(() => {
      results.forEach((r, i) => {
        const d = decoded[i]!;
        const t0 = performance.now();
        const record = {
          instanceId: d.instanceId,
          packId,
          packVersion: version,
          labels: pack.manifest.labels,
          probabilities: r.probabilities,
          logits: r.logits,
          embedding: r.embedding,
          cam: r.cam,
          camRows: r.camRows,
          camCols: r.camCols,
          imageWidth: d.input.width,
          imageHeight: d.input.height,
          quality: r.quality,
          qualityOk: r.quality.ok,
          localisations: r.localisations,
          lungFieldSource: r.lungFieldSource,
          provider: r.provider,
          inferenceMs: r.inferenceMs,
          totalMs: 0,
        };
        // totalMs: this image's decode, its share of prepare/infer/finish, and its own store.
        analyses.save({ ...record, totalMs: d.decodeMs + r.computeMs + (performance.now() - t0) });
        const study = index.studyOfInstance(d.instanceId);
        if (study !== null) studies.add(study);
        deps.audit.record({
          actor,
          action: 'analyse',
          entityType: 'instance',
          entityId: d.instanceId,
          studyId: study ?? undefined,
          modelPack: packId,
          modelVersion: version,
          thresholdVersion: points.version,
          detail: {
            provider: r.provider,
            qualityOk: r.quality.ok,
            ...(r.quality.ok ? {} : { withheld: r.quality.flags.map((f) => f.code) }),
            operatingPoints: points.audit,
          },
        });
      });
    });
  };

  let pending: { decoded: Decoded; input: AnalysisInput }[] = [];
  const inFlight = new Set<Promise<void>>();
  const dispatch = () => {
    const batch = pending;
    pending = [];
    const decoded = batch.map((b) => b.decoded);
    // The images' pixels go to the worker with the batch; only their sizes stay here.
    const done = analyzer
      .prepare(batch.map((b) => b.input))
      .then(async (prepared) => {
        const outputs = await analyzer.infer(prepared);
        store(decoded, analyzer.finish(prepared, outputs));
        analysed += decoded.length;
        progress(decoded.length, 0);
      })
      .catch((err: unknown) => {
        for (const d of decoded) fail(d.instanceId, err);
        progress(0, decoded.length);
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };

  return {
    async add(instanceId, input, decodeMs = 0) {
      pending.push({ decoded: { instanceId, input: { width: input.width, height: input.height }, decodeMs }, input });
      if (pending.length >= batchSize) dispatch();
      while (inFlight.size >= BATCHES_IN_FLIGHT) await Promise.race(inFlight);
    },
    fail(instanceId, err) {
      fail(instanceId, err);
      progress(0, 1);
    },
    async finish() {
      if (pending.length) dispatch();
      while (inFlight.size) await Promise.all(inFlight);
      return { studies, failures, provider: analyzer.provider, analysed };
    },
  };
}

/**
 * Analyses a list of indexed instances with one pack: decodes batch b+1 (through the shared cache, in the image
 * reader's worker) while batch b is inferred. Returns the study ids touched.
 */
export async function analyseInstances(
  deps: AnalysisPipelineDeps,
  pack: Pack,
  instanceIds: readonly number[],
  control: JobControl | null,
  options: { batchSize?: number } = {},
): Promise<{ studies: Set<number>; failures: string[]; provider: string }> {
  if (!instanceIds.length) return { studies: new Set(), failures: [], provider: 'none (nothing to analyse)' };
  const batchSize = options.batchSize ?? ANALYSIS_BATCH;
  const run = await openAnalysisRun(deps, pack, { batchSize, onProgress: (done, failed) => control?.advance(done + failed, failed) });
  for (let i = 0; i < instanceIds.length; i += batchSize) {
    if (control?.signal.aborted) break;
    const decoded = await Promise.all(
      instanceIds.slice(i, i + batchSize).map(async (instanceId): Promise<{ instanceId: number; input: AnalysisInput; ms: number } | { instanceId: number; err: unknown }> => {
        const t0 = performance.now();
        try {
          const file = deps.index.instanceFile(instanceId);
          if (!file) throw new Error('not in the index');
          const img = await deps.images.image(file);
          const input: AnalysisInput = { width: img.frame.width, height: img.frame.height, frame: img.frame, display: img.display, meta: img.meta };
          return { instanceId, input, ms: performance.now() - t0 };
        } catch (err) {
          return { instanceId, err };
        }
      }),
    );
    for (const d of decoded) {
      if ('input' in d) await run.add(d.instanceId, d.input, d.ms);
      else run.fail(d.instanceId, d.err);
    }
  }
  const { studies, failures, provider } = await run.finish();
  return { studies, failures, provider };
}

/**
 * Recomputes the worklist's AI summary of each study from its stored analyses by this pack, then tells subscribers
 * the studies changed. Only images shown count (passed the quality gate, or overridden by a reader); only labels
 * with a validated operating point can be among the called labels.
 */
export async function updateStudySummaries(
  deps: Pick<AnalysisPipelineDeps, 'analyses' | 'overrides' | 'index' | 'operatingPoints' | 'events'>,
  pack: Pack,
  studyIds: Iterable<number>,
): Promise<void> {
  const changed: number[] = [];
  const { thresholds } = await deps.operatingPoints.inForce(pack.manifest.id, pack.manifest.version, pack.manifest.labels);
  for (const studyId of studyIds) {
    const rows = deps.analyses.latestForStudy(studyId, pack.manifest.id);
    const shown = rows.filter((r) => r.qualityOk || deps.overrides.get(r.id) !== null);
    let max: number | null = null;
    const positive = new Set<string>();
    // Only labels with a validated operating point have a margin to triage by (findingsOf returns only those).
    const all = shown.flatMap((row) => findingsOf(row, thresholds));
    for (const row of shown) for (const p of row.probabilities) max = max === null ? p : Math.max(max, p);
    for (const f of all) {
      if (f.positive) positive.add(f.label);
    }
    deps.index.setStudyAiSummary(studyId, {
      aiStatus: rows.length ? 'done' : 'failed',
      maxProbability: max,
      positiveLabels: [...positive].sort(),
      triage: triageOf(all),
    });
    changed.push(studyId);
  }
  if (changed.length) deps.events.emit('studies:onDidChange', { studyIds: changed });
}
