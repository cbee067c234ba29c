import type { StoredLocalisation } from './analysisColumns.js';
import type { DbHandle } from './connection.js';
import { IndexRepository } from './indexRepository.js';
import { makeImageRecord, type ImageRecordOverrides } from './testFixtures.js';

/** Test seeding for search, priors and cohorts: images through the index repository, analyses as raw rows. */
export const TEST_LABELS = ['Atelectasis', 'Cardiomegaly', 'Effusion'];
export const TEST_PACK = { packId: 'test-pack', packVersion: '1' };

export function seedImage(db: DbHandle, key: string | number, o: ImageRecordOverrides = {}): { instanceId: number; studyId: number } {
  const r = new IndexRepository(db).upsertImage(makeImageRecord(key, o));
  return { instanceId: r.instanceId, studyId: r.studyId };
}

export function seedAnalysis(
  db: DbHandle,
  instanceId: number,
  probabilities: number[],
  embedding: number[] | null,
  o: { pack?: { packId: string; packVersion: string }; createdAt?: string; localisations?: Record<string, StoredLocalisation> } = {},
): number {
  const pack = o.pack ?? TEST_PACK;
  const blob = (v: number[]) => Buffer.from(new Float32Array(v).buffer);
  return db.sqlite
    .prepare(
      `INSERT INTO analyses (instance_id, pack_id, pack_version, labels, probabilities, embedding, image_width, image_height,
         quality, quality_ok, localisations, lung_field_source, provider, inference_ms, total_ms, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 1000, 800, '{}', 1, ?, 'template', 'cpu', 1, 1, ?)
       ON CONFLICT (instance_id, pack_id, pack_version) DO UPDATE SET probabilities = excluded.probabilities,
         embedding = excluded.embedding, created_at = excluded.created_at
       RETURNING id`,
    )
    .pluck()
    .get(
      instanceId,
      pack.packId,
      pack.packVersion,
      JSON.stringify(TEST_LABELS),
      blob(probabilities),
      embedding ? blob(embedding) : null,
      JSON.stringify(o.localisations ?? {}),
      o.createdAt ?? '2025-01-01T00:00:00.000Z',
    ) as number;
}
