import { CoreError } from '../api/envelope.js';
import type { Calibration } from '../api/analysis.js';
import type { AnalysisRepository } from '../db/analysisRepository.js';
import type { IndexRepository } from '../db/indexRepository.js';
import type { AnalysisViews } from '../findings/analysisViews.js';
import { analyseInstances, updateStudySummaries, type AnalysisPipelineDeps } from '../inference/analysisPipeline.js';
import { runCalibration } from '../inference/calibrationRun.js';
import type { PackRegistry } from '../inference/packRegistry.js';
import type { JobRunner } from '../platform/jobRunner.js';
import type { Service } from './service.js';

export interface AnalysisServiceDeps extends AnalysisPipelineDeps {
  packs: PackRegistry;
  views: AnalysisViews;
  jobs: JobRunner;
}

function toCalibration(analyses: AnalysisRepository, packId: string, version: string): Calibration | null {
  const c = analyses.latestCalibration(packId, version);
  if (!c) return null;
  return { ...c, labels: c.labels as Calibration['labels'] };
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

/** AI analysis: start jobs, present stored results, record the reader's decisions, calibrate thresholds, serve heatmaps. */
export function createAnalysisService(deps: AnalysisServiceDeps): Service {
  const { analyses, index, packs, views, jobs, audit } = deps;
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
      if (decision === 'edited' && !text?.trim()) throw new CoreError('invalid_input', 'an edited finding needs the reader\'s text');
      analyses.setReview(analysisId, label, decision, decision === 'edited' ? text!.trim() : text?.trim() || null);
      audit.record({
        action: 'edit',
        entityType: 'finding',
        entityId: `${analysisId}:${label}`,
        studyId: index.studyOfInstance(row.instanceId) ?? undefined,
        modelPack: row.packId,
        modelVersion: row.packVersion,
        detail: { decision, ...(decision === 'edited' ? { text: text!.trim() } : {}) },
      });
      return { ok: true as const };
    },

    async 'calibration:run'(input) {
      const pack = await packs.resolve(input.packId);
      return jobs.start('calibration', async (control) => {
        const id = await runCalibration(deps, pack, input, control);
        const c = analyses.latestCalibration(pack.manifest.id, pack.manifest.version);
        const set = (c?.labels as { threshold: number | null }[] | undefined)?.filter((l) => l.threshold !== null).length ?? 0;
        // Study summaries depend on thresholds: refresh those analysed with this pack.
        await updateStudySummaries(deps, pack, studiesAnalysedWith(index, analyses, pack.manifest.id, pack.manifest.version));
        return `calibration ${id} for ${pack.manifest.id} ${pack.manifest.version}: ${set} of ${pack.manifest.labels.length} labels set (${input.method})`;
      });
    },

    async 'calibration:get'({ packId }) {
      const pack = await packs.resolve(packId);
      return toCalibration(analyses, pack.manifest.id, pack.manifest.version);
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
