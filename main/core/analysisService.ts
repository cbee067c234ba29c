import { CoreError } from '../api/envelope.js';
import type { Calibration } from '../api/analysis.js';
import type { AnalysisRepository } from '../db/analysisRepository.js';
import type { IndexRepository } from '../db/indexRepository.js';
import type { QualityOverrideRepository } from '../db/qualityOverrideRepository.js';
import type { AnalysisViews } from '../findings/analysisViews.js';
import { analyseInstances, updateStudySummaries, type AnalysisPipelineDeps } from '../inference/analysisPipeline.js';
import { runCalibration } from '../inference/calibrationRun.js';
import type { PackRegistry } from '../inference/packRegistry.js';
import type { JobRunner } from '../platform/jobRunner.js';
import type { Service } from './service.js';

export interface AnalysisServiceDeps extends AnalysisPipelineDeps {
  overrides: QualityOverrideRepository;
  packs: PackRegistry;
  views: AnalysisViews;
  jobs: JobRunner;
}

/**
 * The calibration in force, in the contract's shape. Calibrations stored before operating points were validated
 * lack the verdict and intervals: they read back as refused, with that reason, so their thresholds are never used.
 */
function toCalibration(analyses: AnalysisRepository, packId: string, version: string): Calibration | null {
  const c = analyses.latestCalibration(packId, version);
  if (!c) return null;
  const labels = c.labels.map((l) => ({
    label: l.label,
    threshold: l.validated ? l.threshold : null,
    method: l.method ?? '',
    validated: l.validated === true,
    refusal: l.validated === undefined ? 'stored before operating points were validated (no AUC interval): run the calibration again' : (l.refusal ?? null),
    sensitivity: l.sensitivity ?? null,
    sensitivityCi: l.sensitivityCi ?? null,
    specificity: l.specificity ?? null,
    specificityCi: l.specificityCi ?? null,
    auc: l.auc ?? null,
    aucCi: l.aucCi ?? null,
    positives: l.positives ?? 0,
    negatives: l.negatives ?? 0,
  }));
  return { ...c, labels };
}

/** The studies that have an analysis by this pack version (their worklist summaries depend on its thresholds). */
function studiesAnalysedWith(index: IndexRepository, analyses: AnalysisRepository, packId: string, version: string): Set<number> {
  const studies = new Set<number>();
  for (const i of index.listInstanceIds()) {
    if (!analyses.has(i, packId, version)) continue;
    const s = index.studyOfInstance(i);
    if (s !== null) studies.add(s);
  }
  return studies;
}

/**
 * AI analysis: start jobs, present stored results (withheld when the gate says so), record the reader's decisions and
 * gate overrides, calibrate and validate operating points, serve heatmaps.
 */
export function createAnalysisService(deps: AnalysisServiceDeps): Service {
  const { analyses, overrides, index, packs, views, jobs, audit, operatingPoints } = deps;
  // What a reader signed never changes: no decision is taken any more on the images a signed report froze.
  const refuseIfSigned = (instanceId: number) => {
    const signed = views.signedReportOf(instanceId);
    if (signed) {
      throw new CoreError('conflict', `this image's findings were signed in report ${signed.reportId} (${signed.signedAt}) and do not change: add an addendum to that report instead`);
    }
  };
  return {
    async 'analysis:start'(input) {
      const pack = await packs.resolve(input.packId);
      const ids = input.instanceIds ?? (input.studyId !== undefined ? index.listInstanceIds({ studyId: input.studyId }) : index.listInstanceIds());
      if (input.studyId !== undefined && !ids.length) throw new CoreError('not_found', `study ${input.studyId} has no images in the index`);
      const todo = input.force ? ids : ids.filter((id) => !analyses.has(id, pack.manifest.id, pack.manifest.version));
      return jobs.start(
        'analysis',
        async (control) => {
          control.setTotal(todo.length);
          const { studies, failures, provider } = await analyseInstances(deps, pack, todo, control);
          await updateStudySummaries(deps, pack, studies);
          const skipped = ids.length - todo.length;
          const first = failures.slice(0, 3).join('; ');
          return `${pack.manifest.id} ${pack.manifest.version} on ${provider}: ${todo.length - failures.length} analysed, ${skipped} already done, ${failures.length} failed${first ? ` (${first})` : ''}`;
        },
        { total: todo.length },
      );
    },

    'analysis:get': ({ instanceId, packId, language }) => views.present(instanceId, language, packId),

    async 'analysis:review'({ analysisId, label, decision, text }) {
      const row = analyses.get(analysisId);
      if (!row) throw new CoreError('not_found', `no analysis with id ${analysisId}`);
      if (!row.labels.includes(label)) throw new CoreError('invalid_input', `analysis ${analysisId} has no finding "${label}" (labels: ${row.labels.join(', ')})`);
      refuseIfSigned(row.instanceId);
      if (!views.shown(row)) {
        throw new CoreError('conflict', `analysis ${analysisId}: the quality gate withheld its findings (${row.quality.flags.map((f) => f.code).join(', ')}); override the gate first`);
      }
      const points = await operatingPoints.inForce(row.packId, row.packVersion, row.labels);
      const point = points.points[label];
      if (point?.status !== 'validated') {
        throw new CoreError('conflict', `${label} is not calibrated (${point?.reason ?? 'no operating point'}): it is never called, so there is no finding to review`);
      }
      if (decision === 'edited' && !text?.trim()) throw new CoreError('invalid_input', 'an edited finding needs the reader\'s text');
      analyses.setReview(analysisId, label, decision, decision === 'edited' ? text!.trim() : text?.trim() || null);
      audit.record({
        action: 'edit',
        entityType: 'finding',
        entityId: `${analysisId}:${label}`,
        studyId: index.studyOfInstance(row.instanceId) ?? undefined,
        modelPack: row.packId,
        modelVersion: row.packVersion,
        thresholdVersion: points.version,
        detail: { decision, operatingPoint: points.audit[label], ...(decision === 'edited' ? { text: text!.trim() } : {}) },
      });
      return { ok: true as const };
    },

    async 'analysis:overrideGate'({ analysisId, reason }) {
      const row = analyses.get(analysisId);
      if (!row) throw new CoreError('not_found', `no analysis with id ${analysisId}`);
      refuseIfSigned(row.instanceId);
      const flags = row.quality.flags;
      if (row.qualityOk) throw new CoreError('conflict', `analysis ${analysisId} passed the quality gate: there is nothing to override`);
      const actor = audit.actor();
      overrides.record(analysisId, actor, reason.trim());
      const studyId = index.studyOfInstance(row.instanceId);
      const points = await operatingPoints.inForce(row.packId, row.packVersion, row.labels);
      audit.record({
        actor,
        action: 'override_gate',
        entityType: 'instance',
        entityId: row.instanceId,
        studyId: studyId ?? undefined,
        modelPack: row.packId,
        modelVersion: row.packVersion,
        thresholdVersion: points.version,
        detail: { analysisId, reason: reason.trim(), flags: flags.map((f) => `${f.code}: ${f.message}`) },
      });
      const pack = await packs.find(row.packId, row.packVersion);
      if (pack && studyId !== null) await updateStudySummaries(deps, pack, [studyId]);
      return { ok: true as const };
    },

    async 'calibration:run'(input) {
      const pack = await packs.resolve(input.packId);
      return jobs.start('calibration', async (control) => {
        const id = await runCalibration(deps, pack, input, control);
        const c = toCalibration(analyses, pack.manifest.id, pack.manifest.version)!;
        const validated = c.labels.filter((l) => l.validated);
        const refused = c.labels.filter((l) => !l.validated);
        audit.record({
          action: 'calibrate',
          entityType: 'calibration',
          entityId: id,
          modelPack: pack.manifest.id,
          modelVersion: pack.manifest.version,
          thresholdVersion: `site calibration #${id}`,
          detail: {
            source: c.source,
            images: c.imageCount,
            method: c.method,
            validated: Object.fromEntries(validated.map((l) => [l.label, l.threshold])),
            refused: Object.fromEntries(refused.map((l) => [l.label, l.refusal])),
          },
        });
        // Study summaries depend on operating points: refresh those analysed with this pack.
        await updateStudySummaries(deps, pack, studiesAnalysedWith(index, analyses, pack.manifest.id, pack.manifest.version));
        return `calibration ${id} for ${pack.manifest.id} ${pack.manifest.version}: ${validated.length} of ${pack.manifest.labels.length} labels validated (${input.method})${refused.length ? `; refused: ${refused.map((l) => l.label).join(', ')}` : ''}`;
      });
    },

    async 'calibration:get'({ packId }) {
      const pack = await packs.resolve(packId);
      return toCalibration(analyses, pack.manifest.id, pack.manifest.version);
    },

    async 'operatingPoints:get'({ packId }) {
      const pack = await packs.resolve(packId);
      const { id, version, labels } = pack.manifest;
      const set = await operatingPoints.inForce(id, version, labels);
      return {
        packId: id,
        packVersion: version,
        calibrationId: set.calibrationId,
        version: set.version,
        labels: labels.map((label) => ({ label, operatingPoint: set.points[label]! })),
        calibration: toCalibration(analyses, id, version),
      };
    },

    resources: [
      {
        kind: 'heatmap',
        async handle({ analysisId, label }) {
          const png = await views.heatmapPng(analysisId, label);
          return png ? { contentType: 'image/png', body: png } : null;
        },
      },
    ],
  };
}
