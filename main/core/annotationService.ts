import type { AuditTrail } from '../audit/auditTrail.js';
import type { AnnotationRepository } from '../db/annotationRepository.js';
import type { IndexRepository } from '../db/indexRepository.js';
import type { Service } from './service.js';

/**
 * The reader's measurements on images. Who drew one is the current reader as the core knows them (settings, else the
 * OS account), never a name a client sends; creating and removing one is audited like any other reader decision.
 */
export function createAnnotationService(deps: { annotations: AnnotationRepository; index: IndexRepository; audit: AuditTrail }): Service {
  const { annotations, index, audit } = deps;
  const record = (action: 'edit', a: { id: number; instanceId: number; kind: string }, detail: Record<string, unknown>) =>
    audit.record({
      action,
      entityType: 'annotation',
      entityId: a.id,
      studyId: index.studyOfInstance(a.instanceId) ?? undefined,
      detail: { instanceId: a.instanceId, kind: a.kind, ...detail },
    });
  return {
    'annotations:list': async ({ instanceId }) => annotations.list(instanceId),
    'annotations:create': async ({ instanceId, kind, points }) => {
      const a = annotations.create({ instanceId, kind, points, author: audit.actor() });
      record('edit', a, { change: 'created', points });
      return a;
    },
    'annotations:delete': async ({ annotationId }) => {
      const a = annotations.delete(annotationId);
      record('edit', a, { change: 'deleted' });
      return { ok: true as const };
    },
  };
}
