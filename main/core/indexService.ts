import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditTrail } from '../audit/auditTrail.js';
import type { IndexRepository } from '../db/indexRepository.js';
import type { StudyRepository } from '../db/studyRepository.js';
import type { WorklistRepository } from '../db/worklistRepository.js';
import { CoreError } from '../api/envelope.js';
import { listTags } from '../dicom/tagList.js';
import type { DecodedImages } from '../images/decodedImages.js';
import type { EventBus } from '../platform/eventBus.js';
import type { Resource } from '../platform/resources.js';
import type { Service } from './service.js';

export interface IndexServiceDeps {
  worklist: WorklistRepository;
  studies: StudyRepository;
  index: IndexRepository;
  audit: AuditTrail;
  events: EventBus;
  /** Decoded pixels shared with analysis; decoding and encoding run in the image reader's worker. */
  images: DecodedImages;
  dataDir: string;
}

/** The worklist, studies and instances, and the thumbnails and viewer pixels they point to. */
export function createIndexService(deps: IndexServiceDeps): Service {
  const { worklist, studies, index, audit, events, images, dataDir } = deps;

  const thumbnail = async (id: number): Promise<Resource | null> => {
    const file = index.instanceFile(id);
    return file ? { contentType: 'image/png', body: await readFile(join(dataDir, file.thumbnailPath)) } : null;
  };
  const pixels = async (id: number): Promise<Resource | null> => {
    const file = index.instanceFile(id);
    if (!file) return null;
    const instance = studies.getInstance(id);
    const spacing = instance.pixelSpacingMm
      ? { rowMm: instance.pixelSpacingMm[0], colMm: instance.pixelSpacingMm[1], source: instance.spacingSource ?? 'PixelSpacing' }
      : null;
    // Off the event loop (a huge image takes seconds to decode), capped to a display level, kept in the shared cache
    // (the viewer often reopens the same few images: prior comparison, back and forth in the worklist).
    const bytes = await images.viewerPixels(id, file, spacing);
    return { contentType: 'application/octet-stream', body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  };

  return {
    'instances:tags': async ({ instanceId }) => {
      const file = index.instanceFile(instanceId);
      if (!file) throw new CoreError('not_found', `no image with id ${instanceId}`);
      if (file.format !== 'dicom') return { instanceId, format: file.format, transferSyntaxUid: null, rows: [] };
      let bytes: Buffer;
      try {
        bytes = await readFile(file.filePath);
      } catch (err) {
        throw new CoreError('bad_file', `${file.filePath}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
      try {
        const { transferSyntaxUid, rows } = listTags(bytes, file.filePath);
        return { instanceId, format: file.format, transferSyntaxUid, rows };
      } catch (err) {
        throw new CoreError('bad_file', err instanceof Error ? err.message : String(err));
      }
    },
    'studies:list': async (q) => worklist.query(q),
    'studies:get': async ({ studyId }) => {
      const detail = studies.get(studyId);
      audit.record({ action: 'view', entityType: 'study', entityId: studyId, studyId });
      return detail;
    },
    'studies:setStatus': async ({ studyId, status }) => {
      studies.setStatus(studyId, status);
      events.emit('studies:onDidChange', { studyIds: [studyId] });
      return { ok: true as const };
    },
    'instances:get': async ({ instanceId }) => studies.getInstance(instanceId),
    resources: [
      { kind: 'thumbnail', handle: (ref) => thumbnail(ref.instanceId) },
      { kind: 'pixels', handle: (ref) => pixels(ref.instanceId) },
    ],
  };
}
