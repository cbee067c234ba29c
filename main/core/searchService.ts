import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { AuditTrail } from '../audit/auditTrail.js';
import type { AnnotationRepository } from '../db/annotationRepository.js';
import type { CohortRepository } from '../db/cohortRepository.js';
import type { SearchRepository } from '../db/searchRepository.js';
import { cohortSyntax, exportCohort, queryCohort, type CohortDeps } from '../cohorts/cohortQueries.js';
import { getPriors } from '../priors/priors.js';
import type { EventBus } from '../platform/eventBus.js';
import type { PackContextResolver } from '../search/packContext.js';
import { SearchIndexCache } from '../search/searchIndexCache.js';
import { findSimilar, similarStatus, type SimilarDeps } from '../search/similarCases.js';
import type { Service } from './service.js';

/**
 * Similar-case search (`similar:*`), priors (`priors:get`) and cohorts (`cohorts:*`): the reads that look across
 * the whole index rather than at one study. The embedding matrix lives in memory, kept in step with the analyses
 * by change events and a fingerprint check.
 */
export function createSearchService(deps: {
  repo: SearchRepository;
  cohorts: CohortRepository;
  annotations: Pick<AnnotationRepository, 'forInstances'>;
  packs: PackContextResolver;
  events: EventBus;
  /** Cohort exports carry patient IDs and file paths out of the index: each one is audited. */
  audit: AuditTrail;
  dataDir: string;
}): Service {
  const { repo, cohorts, annotations, packs, events, audit, dataDir } = deps;
  const cache = new SearchIndexCache(repo, dataDir);
  const unsubscribe = [
    events.subscribe('studies:onDidChange', () => cache.markStale()),
    events.subscribe('jobs:onDidFinish', (job) => {
      if (job.kind === 'analysis' || job.kind === 'import') cache.markStale();
    }),
  ];
  const similar: SimilarDeps = { repo, cohorts, packs, cache };
  const cohortDeps: CohortDeps = { repo, cohorts, annotations, packs, dataDir };

  return {
    'similar:find': (input) => findSimilar(similar, input),
    'similar:status': (input) => similarStatus(similar, input.packId),
    'priors:get': (input) => getPriors({ repo, packs }, input),
    'cohorts:query': (input) => queryCohort(cohortDeps, input),
    'cohorts:export': async (input) => {
      const out = await exportCohort(cohortDeps, input);
      audit.record({
        action: 'export',
        entityType: 'cohort',
        entityId: out.exportId,
        detail: { query: out.query, format: out.format, rows: out.rows, boxes: out.boxes, file: basename(out.path) },
      });
      return out;
    },
    'cohorts:syntax': (input) => cohortSyntax(cohortDeps, input.packId),
    resources: [
      {
        kind: 'cohortExport',
        async handle({ exportId, fileName }) {
          const relative = cohorts.exportPath(exportId);
          if (!relative || basename(relative) !== fileName) return null;
          try {
            const body = await readFile(join(dataDir, relative));
            const contentType = fileName.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/json';
            return { contentType, body, headers: { 'Content-Disposition': `attachment; filename="${fileName}"` } };
          } catch {
            return null;
          }
        },
      },
    ],
    dispose() {
      for (const u of unsubscribe) u();
      cache.dispose();
    },
  };
}
