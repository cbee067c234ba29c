import { CoreError } from '../api/envelope.js';
import type { Priors } from '../api/search.js';
import type { SearchRepository } from '../db/searchRepository.js';
import { resourcePaths } from '../api/resources.js';
import type { PackContextResolver } from '../search/packContext.js';
import { buildFindingSeries, compareStudies, DEFAULT_CHANGE_MARGIN, type StudyProbabilities } from './changeClassification.js';

/** NIH ChestX-ray14 names images PATIENT_FOLLOWUP.png (8 and 3 digits); the follow-up number orders undated studies. */
const NIH_NAME = /(?:^|[\\/])\d{8}_(\d{3})\.png$/i;

export function followUpNumber(filePath: string): number | null {
  const m = NIH_NAME.exec(filePath);
  return m ? Number(m[1]) : null;
}

export interface PriorsDeps {
  repo: SearchRepository;
  packs: PackContextResolver;
}

/**
 * `priors:get`: the patient's studies in time, and per finding its probability in each (the most positive analysed
 * image of the study, so a study with a PA and a lateral shows the PA's call when that is the positive one) with the
 * change from the previous analysed study.
 */
export async function getPriors(deps: PriorsDeps, input: { studyId?: number; instanceId?: number; packId?: string }): Promise<Priors> {
  const { repo, packs } = deps;
  const studyId = input.studyId ?? (input.instanceId !== undefined ? repo.studyOf(input.instanceId) : null);
  if (studyId === null || studyId === undefined) throw new CoreError('not_found', `no image with id ${input.instanceId}`);
  const patient = repo.patientStudies(studyId);
  if (!patient) throw new CoreError('not_found', `no study with id ${studyId}`);
  const pack = packs.choose({ packId: input.packId, instanceId: input.instanceId });
  const allIds = patient.studies.flatMap((s) => s.instanceIds);
  const details = repo.details(allIds, pack);
  const context = pack ? await packs.context(pack) : null;

  const perStudy: StudyProbabilities[] = patient.studies.map((s) => {
    const sequences = s.instanceIds.map((id) => followUpNumber(details.get(id)?.filePath ?? '')).filter((n): n is number => n !== null);
    let probabilities: Record<string, number> | null = null;
    const instanceIds: Record<string, number> = {};
    for (const id of s.instanceIds) {
      const a = details.get(id)?.analysis;
      // A withheld image (quality gate, not overridden) has no probabilities to compare.
      if (!a || !a.shown || !pack || a.packId !== pack.packId || a.packVersion !== pack.packVersion) continue;
      probabilities ??= {};
      a.labels.forEach((label: string, i: number) => {
        const p = a.probabilities[i];
        if (p === undefined) return;
        if (probabilities![label] === undefined || p > probabilities![label]!) {
          probabilities![label] = p;
          instanceIds[label] = id;
        }
      });
    }
    return { studyId: s.studyId, date: s.date, sequence: sequences.length ? Math.min(...sequences) : null, instanceIds, probabilities };
  });
  const series = context ? buildFindingSeries(perStudy, context.labels, context.thresholds, DEFAULT_CHANGE_MARGIN) : [];
  const order = [...perStudy].sort(compareStudies).map((s) => s.studyId);
  const byId = new Map(patient.studies.map((s) => [s.studyId, s]));
  const analysed = new Set(perStudy.filter((s) => s.probabilities).map((s) => s.studyId));
  return {
    patientId: patient.patientId,
    currentStudyId: studyId,
    pack,
    studies: order.map((id) => {
      const s = byId.get(id)!;
      return {
        studyId: id,
        date: s.date,
        instanceIds: s.instanceIds,
        analysed: analysed.has(id),
        thumbnail: s.instanceIds.length ? resourcePaths.thumbnail(s.instanceIds[0]!) : null,
      };
    }),
    series,
  };
}
