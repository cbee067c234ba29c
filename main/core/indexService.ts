import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appendAudit } from '../db/auditRepository.js';
import { IndexRepository } from '../db/indexRepository.js';
import { StudyRepository } from '../db/studyRepository.js';
import { WorklistRepository } from '../db/worklistRepository.js';
import { loadImage } from '../images/loadImage.js';
import { encodeViewerPixels } from '../images/viewerPixels.js';
import type { CoreContext, Resource, Service } from './context.js';
import { LruCache } from './lruCache.js';
import { currentReader } from './reader.js';

/** The worklist, studies and instances, and the thumbnails and viewer pixels they point to. */
export function createIndexService(ctx: CoreContext): Service {
  const worklist = new WorklistRepository(ctx.db);
  const studies = new StudyRepository(ctx.db);
  const index = new IndexRepository(ctx.db);
  // Decoding a large compressed radiograph takes a while; the viewer often reopens the same few images (prior
  // comparison, back and forth in the worklist), so keep the last encodings, bounded by bytes.
  const pixelCache = new LruCache<number, Uint8Array>(256 * 1024 * 1024, (b) => b.byteLength);

  const instanceResource = async (rest: string): Promise<Resource | null> => {
    const m = /^(\d+)\/(thumbnail\.png|pixels)$/.exec(rest);
    if (!m) return null;
    const id = Number(m[1]);
    const file = index.instanceFile(id);
    if (!file) return null;
    if (m[2] === 'thumbnail.png') {
      return { contentType: 'image/png', body: await readFile(join(ctx.config.dataDir, file.thumbnailPath)) };
    }
    let bytes = pixelCache.get(id);
    if (!bytes) {
      const instance = studies.getInstance(id);
      const spacing = instance.pixelSpacingMm
        ? { rowMm: instance.pixelSpacingMm[0], colMm: instance.pixelSpacingMm[1], source: instance.spacingSource ?? 'PixelSpacing' }
        : null;
      bytes = encodeViewerPixels(await loadImage(file.filePath, file.format), spacing);
      pixelCache.set(id, bytes);
    }
    return { contentType: 'application/octet-stream', body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  };

  return {
    'studies:list': async (q) => worklist.query(q),
    'studies:get': async ({ studyId }) => {
      const detail = studies.get(studyId);
      appendAudit(ctx.db, { actor: currentReader(ctx.db), action: 'view', entityType: 'study', entityId: studyId, studyId });
      return detail;
    },
    'studies:setStatus': async ({ studyId, status }) => {
      studies.setStatus(studyId, status);
      ctx.events.emit('studies:onDidChange', { studyIds: [studyId] });
      return { ok: true as const };
    },
    'instances:get': async ({ instanceId }) => studies.getInstance(instanceId),
    resources: [{ prefix: '/files/instances/', handle: instanceResource }],
  };
}
