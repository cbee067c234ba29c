import { CoreError } from '../api/envelope.js';
import type { FindingValue, SimilarResult, SimilarStatus } from '../api/search.js';
import type { z } from 'zod';
import type { SimilarFindInputSchema } from '../api/search.js';
import type { CohortRepository } from '../db/cohortRepository.js';
import type { ImageDetail, SearchRepository } from '../db/searchRepository.js';
import { resourcePaths } from '../api/resources.js';
import { nativeUnavailableReason } from './nativeKernel.js';
import type { PackContext, PackContextResolver } from './packContext.js';
import { regionSearchSupport } from './regionPooling.js';
import type { SearchIndexCache } from './searchIndexCache.js';

type SimilarFindInput = z.output<typeof SimilarFindInputSchema>;

/**
 * An image's findings by the pack, each called only at a validated operating point (threshold null and never positive
 * without one); empty when it has no analysis by that pack, or when the quality gate withheld it.
 */
export function findingValues(detail: ImageDetail, context: PackContext): FindingValue[] {
  const a = detail.analysis;
  if (!a || !a.shown || a.packId !== context.pack.packId || a.packVersion !== context.pack.packVersion) return [];
  return a.labels.map((label, i) => {
    const probability = a.probabilities[i] ?? 0;
    const threshold = context.thresholds[label] ?? null;
    return { label, probability, threshold, positive: threshold !== null && probability >= threshold };
  });
}

export interface SimilarDeps {
  repo: SearchRepository;
  cohorts: CohortRepository;
  packs: PackContextResolver;
  cache: SearchIndexCache;
}

/** Why a region search cannot be answered for this pack (null when it could be). */
export function regionUnsupportedReason(context: PackContext): string | null {
  if (!context.manifest) {
    return `the manifest of ${context.pack.packId} ${context.pack.packVersion} is not installed, so whether it outputs a feature map is unknown`;
  }
  const support = regionSearchSupport(context.manifest);
  if (!support.supported) return support.reason;
  // A pack with a feature map could be pooled (main/search/regionPooling.ts), but analyses do not store the map yet.
  return `${context.pack.packId} outputs "${support.output}", but stored analyses do not keep feature maps yet, so a region cannot be pooled without re-running the model`;
}

/** `similar:find`: the k nearest analysed images to an analysed image, with the filters of the request. */
export async function findSimilar(deps: SimilarDeps, input: SimilarFindInput): Promise<SimilarResult> {
  const { repo, packs, cache } = deps;
  const started = performance.now();
  const pack = packs.choose({ packId: input.packId, instanceId: input.instanceId });
  const studyId = repo.studyOf(input.instanceId);
  if (studyId === null) throw new CoreError('not_found', `no image with id ${input.instanceId}`);
  if (!pack) throw new CoreError('not_found', `image ${input.instanceId} has not been analysed${input.packId ? ` by ${input.packId}` : ''}; analyse it first`);
  const context = await packs.context(pack);
  if (input.region) {
    const reason = regionUnsupportedReason(context);
    if (reason) throw new CoreError('unsupported', `search by region is not available: ${reason}`);
  }
  const query = repo.embeddingOf(input.instanceId, pack);
  if (!query) {
    throw new CoreError('unsupported', `the analysis of image ${input.instanceId} by ${pack.packId} ${pack.packVersion} has no embedding; this pack cannot be used for similar-case search`);
  }
  const f = input.filters;
  if (f.finding !== undefined && !context.labels.some((l) => l.toLowerCase() === f.finding!.toLowerCase())) {
    throw new CoreError('invalid_input', `unknown finding "${f.finding}"; ${pack.packId} knows ${context.labels.join(', ')}`);
  }
  if (f.dateFrom && f.dateTo && f.dateFrom > f.dateTo) throw new CoreError('invalid_input', `dateFrom ${f.dateFrom} is after dateTo ${f.dateTo}`);
  if (f.ageMin !== undefined && f.ageMax !== undefined && f.ageMin >= f.ageMax) {
    throw new CoreError('invalid_input', `the age band ${f.ageMin}–${f.ageMax} is empty (ageMin must be below ageMax)`);
  }
  const label = f.finding === undefined ? undefined : context.labels.find((l) => l.toLowerCase() === f.finding!.toLowerCase())!;
  if (label) deps.cohorts.syncFindings();
  const allowed = repo.candidateIds({
    dateFrom: f.dateFrom,
    dateTo: f.dateTo,
    sex: f.sex,
    ageMin: f.ageMin,
    ageMax: f.ageMax,
    finding: label ? { label, thresholds: context.thresholds, pack } : undefined,
  });
  const excluded = f.excludeSamePatient ? repo.samePatientIds(input.instanceId) : new Set([input.instanceId]);
  const { index } = cache.get(pack);
  if (query.length !== index.dim && index.size > 0) {
    throw new CoreError('internal', `embedding of image ${input.instanceId} has ${query.length} values; the index of ${pack.packId} has ${index.dim}`);
  }
  const method = input.method === 'auto' ? undefined : input.method;
  if (method === 'approximate' && !index.approximate) {
    throw new CoreError('unsupported', `no approximate index for ${pack.packId} ${pack.packVersion}: it has ${index.size} embeddings (a graph is built from ${cache.approximateThreshold}) or is still being built`);
  }
  const answer = index.size ? index.search(query, input.k, { allowed: allowed ?? undefined, excluded }, method) : { neighbours: [], method: 'exact' as const };
  const details = repo.details(answer.neighbours.map((n) => n.id), pack);
  const patient = repo.details([input.instanceId], null).get(input.instanceId);
  const neighbours = answer.neighbours.flatMap((n) => {
    const d = details.get(n.id);
    if (!d) return []; // deleted since the matrix was built; the next refresh drops it
    return [
      {
        instanceId: d.instanceId,
        studyId: d.studyId,
        patientId: d.patientId,
        similarity: Math.max(-1, Math.min(1, n.score)),
        thumbnail: resourcePaths.thumbnail(d.instanceId),
        studyDate: d.studyDate,
        sex: d.sex,
        ageYears: d.ageYears,
        viewPosition: d.viewPosition,
        findings: findingValues(d, context),
        referenceLabels: [...new Set(d.referenceFindings.map((r) => r.label))],
        reportText: d.reportText,
      },
    ];
  });
  return {
    query: { instanceId: input.instanceId, studyId, patientId: patient?.patientId ?? '' },
    pack,
    method: answer.method,
    indexed: index.size,
    allowed: allowed ? allowed.size : null,
    searchMs: performance.now() - started,
    neighbours,
  };
}

/** `similar:status`. */
export async function similarStatus(deps: SimilarDeps, packId: string | undefined): Promise<SimilarStatus> {
  const pack = deps.packs.choose({ packId });
  const reason = nativeUnavailableReason();
  const base = {
    quantization: deps.cache.quantization,
    approximateThreshold: deps.cache.approximateThreshold,
    nativeKernel: { loaded: reason === null, reason },
  };
  if (!pack) {
    return { ...base, pack: null, indexed: 0, dimensions: 0, approximate: false, regionSearch: { supported: false, reason: 'nothing has been analysed yet' } };
  }
  const context = await deps.packs.context(pack);
  const { index } = deps.cache.get(pack);
  const regionReason = regionUnsupportedReason(context);
  return {
    ...base,
    pack,
    indexed: index.size,
    dimensions: index.size ? index.dim : 0,
    approximate: index.approximate !== null,
    regionSearch: { supported: regionReason === null, reason: regionReason },
  };
}
