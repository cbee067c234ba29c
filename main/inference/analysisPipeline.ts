import { triageOf } from '../findings/triage.js';
import type { AuditTrail } from '../audit/auditTrail.js';
import type { AnalysisRepository } from '../db/analysisRepository.js';
import type { DbHandle } from '../db/connection.js';
import type { IndexRepository } from '../db/indexRepository.js';
import type { QualityOverrideRepository } from '../db/qualityOverrideRepository.js';
import { findingsOf } from '../findings/presentAnalysis.js';
import type { OperatingPoints } from '../findings/operatingPoints.js';
import { loadDisplayImage } from '../images/loadImage.js';
import type { EventBus } from '../platform/eventBus.js';
import type { JobControl } from '../platform/jobRunner.js';
import type { AnalysisInput, ImageAnalysis } from './analyzer.js';
import type { AnalyzerHost } from './analyzerHost.js';
import type { Pack } from './packRegistry.js';

/** Images per session.run: large enough to amortise the call, small enough to keep progress and cancel responsive. */
export const ANALYSIS_BATCH = 8;

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
}

/**
 * Analyses a list of indexed instances with one pack, in batches, as a three-stage pipeline: while the worker
 * thread infers batch b, the main thread stores the results of batch b−1 and libuv threads decode and resize batch
 * b+1. Each result is stored as it comes (one transaction per batch); a failing image is counted and skipped.
 * Returns the study ids touched.
 */
export async function analyseInstances(
  deps: AnalysisPipelineDeps,
  pack: Pack,
  instanceIds: readonly number[],
  control: JobControl | null,
  options: { batchSize?: number } = {},
): Promise<{ studies: Set<number>; failures: string[]; provider: string }> {
  if (!instanceIds.length) return { studies: new Set(), failures: [], provider: 'none (nothing to analyse)' };
  const { index, analyses } = deps;
  const analyzer = await deps.analyzers.analyzer(pack);
  const { id: packId, version } = pack.manifest;
  const failures: string[] = [];
  const studies = new Set<number>();
  const batchSize = options.batchSize ?? ANALYSIS_BATCH;
  // Who ran it, with which model and operating points (each label's threshold and where it came from, or "not
  // calibrated"): one audit entry per image analysed.
  const actor = deps.audit.actor();
  const points = await deps.operatingPoints.inForce(packId, version, pack.manifest.labels);

  type Decoded = { instanceId: number; input: AnalysisInput; decodeMs: number };
  const fail = (instanceId: number, err: unknown) => failures.push(`instance ${instanceId}: ${err instanceof Error ? err.message : String(err)}`);
  const decodeAndPrepare = async (ids: readonly number[]) => {
    const decoded = (
      await Promise.all(
        ids.map(async (instanceId): Promise<Decoded | null> => {
          const t0 = performance.now();
          try {
            const file = index.instanceFile(instanceId);
            if (!file) throw new Error('not in the index');
            const img = await loadDisplayImage(file.filePath, file.format);
            return { instanceId, input: { width: img.width, height: img.height, gray: img.gray, meta: img.meta }, decodeMs: performance.now() - t0 };
          } catch (err) {
            fail(instanceId, err);
            return null;
          }
        }),
      )
    ).filter((d): d is Decoded => d !== null);
    const prepared = decoded.length ? await analyzer.prepare(decoded.map((d) => d.input)) : null;
    return { ids, decoded, prepared };
  };
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

  const batches: number[][] = [];
  for (let i = 0; i < instanceIds.length; i += batchSize) batches.push(instanceIds.slice(i, i + batchSize));
  let next: ReturnType<typeof decodeAndPrepare> | null = decodeAndPrepare(batches[0]!);
  let finishPrevious: (() => void) | null = null;
  for (let b = 0; b < batches.length && next; b++) {
    if (control?.signal.aborted) break;
    const current = await next.catch((err: unknown) => {
      for (const id of batches[b]!) fail(id, err);
      return null;
    });
    next = b + 1 < batches.length ? decodeAndPrepare(batches[b + 1]!) : null;
    if (!current?.prepared) {
      finishPrevious?.();
      finishPrevious = null;
      control?.advance(0, batches[b]!.length);
      continue;
    }
    const inferred = analyzer.infer(current.prepared);
    // The previous batch's CAM work and storage run while the worker infers this one.
    finishPrevious?.();
    finishPrevious = null;
    try {
      const outputs = await inferred;
      const { decoded, prepared, ids } = current;
      finishPrevious = () => {
        try {
          store(decoded, analyzer.finish(prepared, outputs));
          control?.advance(decoded.length, ids.length - decoded.length);
        } catch (err) {
          for (const d of decoded) fail(d.instanceId, err);
          control?.advance(0, ids.length);
        }
      };
    } catch (err) {
      for (const d of current.decoded) fail(d.instanceId, err);
      control?.advance(0, current.ids.length);
    }
  }
  finishPrevious?.();
  return { studies, failures, provider: analyzer.provider };
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
