import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { CoreError } from '../api/envelope.js';
import type { Calibration } from '../api/analysis.js';
import type { CoreContext, Resource, Service } from './context.js';
import type { JobControl } from './jobRunner.js';
import { currentReader } from './reader.js';
import { appendAudit } from '../db/auditRepository.js';
import { IndexRepository } from '../db/indexRepository.js';
import { loadDisplayImage } from '../images/loadImage.js';
import { analysisRuntime, type AnalysisRuntime, type Pack } from '../inference/analysisRuntime.js';
import type { AnalysisInput, ImageAnalysis } from '../inference/analyzer.js';
import { readGrayFile } from '../inference/readGrayFile.js';
import { calibrateLabels, readLabelledSet, DEFAULT_SENSITIVITY_TARGET } from '../findings/calibrate.js';
import { renderHeatmapPng } from '../findings/heatmap.js';
import { findingsOf, presentAnalysis } from '../findings/presentAnalysis.js';

/** Images per session.run: large enough to amortise the call, small enough to keep progress and cancel responsive. */
export const ANALYSIS_BATCH = 8;

/**
 * Analyses a list of indexed instances with one pack, in batches, as a three-stage pipeline: while the worker
 * thread infers batch b, the main thread stores the results of batch b−1 and libuv threads decode and resize batch
 * b+1. Each result is stored as it comes (one transaction per batch); a failing image is counted and skipped.
 * Returns the study ids touched.
 */
export async function analyseInstances(
  rt: AnalysisRuntime,
  pack: Pack,
  instanceIds: readonly number[],
  control: JobControl | null,
  options: { batchSize?: number } = {},
): Promise<{ studies: Set<number>; failures: string[]; provider: string }> {
  if (!instanceIds.length) return { studies: new Set(), failures: [], provider: 'none (nothing to analyse)' };
  const index = new IndexRepository(rt.ctx.db);
  const analyzer = await rt.analyzer(pack);
  const { id: packId, version } = pack.manifest;
  const failures: string[] = [];
  const studies = new Set<number>();
  const batchSize = options.batchSize ?? ANALYSIS_BATCH;
  // Who ran it, with which model and thresholds: one audit entry per image analysed.
  const actor = currentReader(rt.ctx.db);
  const { calibrationId } = rt.thresholds(pack.manifest.labels, packId, version, pack.manifest);
  const thresholdVersion = calibrationId === null ? 'pack thresholds' : `calibration #${calibrationId}`;

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
    rt.ctx.db.transaction(() => {
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
        rt.repo.save({ ...record, totalMs: d.decodeMs + r.computeMs + (performance.now() - t0) });
        const study = index.studyOfInstance(d.instanceId);
        if (study !== null) studies.add(study);
        appendAudit(rt.ctx.db, {
          actor,
          action: 'analyse',
          entityType: 'instance',
          entityId: d.instanceId,
          studyId: study ?? undefined,
          modelPack: packId,
          modelVersion: version,
          thresholdVersion,
          detail: { provider: r.provider, qualityOk: r.quality.ok },
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
 * Recomputes the worklist's AI summary of each study from its stored analyses by this pack (only images that passed
 * the quality gate count), then tells subscribers the studies changed.
 */
export function updateStudySummaries(rt: AnalysisRuntime, pack: Pack, studyIds: Iterable<number>): void {
  const index = new IndexRepository(rt.ctx.db);
  const changed: number[] = [];
  const { thresholds } = rt.thresholds(pack.manifest.labels, pack.manifest.id, pack.manifest.version, pack.manifest);
  for (const studyId of studyIds) {
    const rows = rt.repo.latestForStudy(studyId, pack.manifest.id);
    const shown = rows.filter((r) => r.qualityOk);
    let max: number | null = null;
    const positive = new Set<string>();
    for (const row of shown) {
      for (const f of findingsOf(row, thresholds)) {
        max = max === null ? f.probability : Math.max(max, f.probability);
        if (f.positive) positive.add(f.label);
      }
    }
    index.setStudyAiSummary(studyId, { aiStatus: rows.length ? 'done' : 'failed', maxProbability: max, positiveLabels: [...positive].sort() });
    changed.push(studyId);
  }
  if (changed.length) rt.ctx.events.emit('studies:onDidChange', { studyIds: changed });
}

async function readImageForCalibration(path: string): Promise<AnalysisInput> {
  const ext = extname(path).toLowerCase();
  if (ext === '.dcm' || ext === '') {
    const img = await loadDisplayImage(path, 'dicom');
    return { width: img.width, height: img.height, gray: img.gray, meta: img.meta };
  }
  return { ...(await readGrayFile(path)), meta: {} };
}

/**
 * Scores a labelled set with a pack and stores per-label thresholds with how they were chosen.
 * Returns the stored calibration's id.
 */
export async function runCalibration(
  rt: AnalysisRuntime,
  pack: Pack,
  input: { labelsCsv: string; imagesDir?: string | undefined; split: string; method: 'youden' | 'sensitivity'; targetSensitivity?: number | undefined },
  control: JobControl | null,
): Promise<number> {
  const csv = resolve(input.labelsCsv);
  const imagesDir = resolve(input.imagesDir ?? join(dirname(csv), 'images'));
  const labels = pack.manifest.labels;
  const rows = await readLabelledSet(csv, labels, input.split);
  control?.setTotal(rows.length);
  const analyzer = await rt.analyzer(pack);
  const scores: Float32Array[] = [];
  const truth: boolean[][] = [];
  for (let i = 0; i < rows.length; i += ANALYSIS_BATCH) {
    if (control?.signal.aborted) throw new CoreError('cancelled', 'calibration cancelled: nothing was stored');
    const batch = rows.slice(i, i + ANALYSIS_BATCH);
    const images = await Promise.all(
      batch.map((r) =>
        readImageForCalibration(join(imagesDir, r.image)).catch((err: unknown) => {
          throw new CoreError('bad_file', `${join(imagesDir, r.image)} (named in ${csv}): ${err instanceof Error ? err.message : String(err)}`);
        }),
      ),
    );
    const results = await analyzer.analyseBatch(images);
    results.forEach((r, k) => {
      scores.push(r.probabilities);
      truth.push(batch[k]!.truth);
    });
    control?.advance(batch.length);
  }
  const target = input.method === 'sensitivity' ? input.targetSensitivity ?? DEFAULT_SENSITIVITY_TARGET : null;
  const perLabel = calibrateLabels(labels, scores, truth, input.method, target ?? undefined);
  return rt.repo.saveCalibration({
    packId: pack.manifest.id,
    packVersion: pack.manifest.version,
    method: input.method,
    targetSensitivity: target,
    source: `${csv}${input.split ? ` (split ${input.split})` : ''}, images in ${imagesDir}`,
    imageCount: rows.length,
    labels: perLabel,
  });
}

function toCalibration(rt: AnalysisRuntime, packId: string, version: string): Calibration | null {
  const c = rt.repo.latestCalibration(packId, version);
  if (!c) return null;
  return {
    id: c.id,
    packId: c.packId,
    packVersion: c.packVersion,
    method: c.method,
    targetSensitivity: c.targetSensitivity,
    source: c.source,
    imageCount: c.imageCount,
    createdAt: c.createdAt,
    labels: c.labels as Calibration['labels'],
  };
}

/** Serves `/files/analyses/<id>/heatmap/<label>.png`, rendering it from the stored CAM once and caching it under dataDir. */
async function serveHeatmap(rt: AnalysisRuntime, rest: string): Promise<Resource | null> {
  const m = /^(\d+)\/heatmap\/([^/]+)\.png$/.exec(rest);
  if (!m) return null;
  const row = rt.repo.get(Number(m[1]));
  const label = m[2]!;
  if (!row || !row.cam || !row.camRows || !row.camCols) return null;
  const k = row.labels.indexOf(label);
  if (k < 0) return null;
  const file = join(rt.ctx.config.dataDir, 'analyses', String(row.id), 'heatmap', `${label}.png`);
  const cached = await stat(file).catch(() => null);
  // The row is updated in place when an analysis is forced again: a cache older than the row is stale.
  if (cached && cached.mtime.toISOString() >= row.createdAt) return { contentType: 'image/png', body: await readFile(file) };
  const plane = row.camRows * row.camCols;
  const png = await renderHeatmapPng(row.cam.subarray(k * plane, (k + 1) * plane), row.camRows, row.camCols, { width: row.imageWidth, height: row.imageHeight });
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, png);
  return { contentType: 'image/png', body: png };
}

export function createAnalysisService(ctx: CoreContext): Service {
  const rt = analysisRuntime(ctx);
  const index = new IndexRepository(ctx.db);
  return {
    async 'analysis:start'(input) {
      const pack = await rt.pack(input.packId);
      const ids = input.instanceIds ?? (input.studyId !== undefined ? index.listInstanceIds({ studyId: input.studyId }) : index.listInstanceIds());
      if (input.studyId !== undefined && !ids.length) throw new CoreError('not_found', `study ${input.studyId} has no images in the index`);
      const todo = input.force ? ids : ids.filter((id) => !rt.repo.has(id, pack.manifest.id, pack.manifest.version));
      return ctx.jobs.start(
        'analysis',
        async (control) => {
          control.setTotal(todo.length);
          const { studies, failures, provider } = await analyseInstances(rt, pack, todo, control);
          updateStudySummaries(rt, pack, studies);
          const skipped = ids.length - todo.length;
          const first = failures.slice(0, 3).join('; ');
          return `${pack.manifest.id} ${pack.manifest.version} on ${provider}: ${todo.length - failures.length} analysed, ${skipped} already done, ${failures.length} failed${first ? ` (${first})` : ''}`;
        },
        { total: todo.length },
      );
    },

    async 'analysis:get'({ instanceId, packId, language }) {
      const row = rt.repo.latestFor(instanceId, packId);
      if (!row) return null;
      const pack = await rt.packIfInstalled(row.packId, row.packVersion);
      const { thresholds, calibrationId } = rt.thresholds(row.labels, row.packId, row.packVersion, pack?.manifest ?? null);
      return presentAnalysis(row, { thresholds, reviews: rt.repo.reviewsFor(row.id), language, title: pack?.manifest.title ?? row.packId, calibrationId });
    },

    async 'analysis:review'({ analysisId, label, decision, text }) {
      const row = rt.repo.get(analysisId);
      if (!row) throw new CoreError('not_found', `no analysis with id ${analysisId}`);
      if (!row.labels.includes(label)) throw new CoreError('invalid_input', `analysis ${analysisId} has no finding "${label}" (labels: ${row.labels.join(', ')})`);
      if (decision === 'edited' && !text?.trim()) throw new CoreError('invalid_input', 'an edited finding needs the reader\'s text');
      rt.repo.setReview(analysisId, label, decision, decision === 'edited' ? text!.trim() : text?.trim() || null);
      appendAudit(ctx.db, {
        actor: currentReader(ctx.db),
        action: 'edit',
        entityType: 'finding',
        entityId: `${analysisId}:${label}`,
        studyId: new IndexRepository(ctx.db).studyOfInstance(row.instanceId) ?? undefined,
        modelPack: row.packId,
        modelVersion: row.packVersion,
        detail: { decision, ...(decision === 'edited' ? { text: text!.trim() } : {}) },
      });
      return { ok: true as const };
    },

    async 'calibration:run'(input) {
      const pack = await rt.pack(input.packId);
      return ctx.jobs.start('calibration', async (control) => {
        const id = await runCalibration(rt, pack, input, control);
        const c = rt.repo.latestCalibration(pack.manifest.id, pack.manifest.version);
        const set = (c?.labels as { threshold: number | null }[] | undefined)?.filter((l) => l.threshold !== null).length ?? 0;
        // Study summaries depend on thresholds: refresh those analysed with this pack.
        updateStudySummaries(rt, pack, new Set(index.listInstanceIds().filter((i) => rt.repo.has(i, pack.manifest.id, pack.manifest.version)).map((i) => index.studyOfInstance(i)).filter((s): s is number => s !== null)));
        return `calibration ${id} for ${pack.manifest.id} ${pack.manifest.version}: ${set} of ${pack.manifest.labels.length} labels set (${input.method})`;
      });
    },

    async 'calibration:get'({ packId }) {
      const pack = await rt.pack(packId);
      return toCalibration(rt, pack.manifest.id, pack.manifest.version);
    },

    resources: [{ prefix: '/files/analyses/', handle: (rest) => serveHeatmap(rt, rest) }],
    dispose: () => rt.dispose(),
  };
}
