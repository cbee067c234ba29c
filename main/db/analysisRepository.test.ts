import { describe, expect, it } from 'vitest';
import { openDatabase } from './connection.js';
import { AnalysisRepository, type AnalysisRecord } from './analysisRepository.js';
import { IndexRepository } from './indexRepository.js';
import { makeImageRecord } from './testFixtures.js';

function record(instanceId: number, over: Partial<AnalysisRecord> = {}): AnalysisRecord {
  return {
    instanceId,
    packId: 'pack',
    packVersion: '1',
    labels: ['A', 'B'],
    probabilities: new Float32Array([0.25, 0.75]),
    logits: new Float32Array([-1.1, 1.1]),
    embedding: new Float32Array([1, 2, 3]),
    cam: new Float32Array(2 * 2 * 2).fill(0.5),
    camRows: 2,
    camCols: 2,
    imageWidth: 1024,
    imageHeight: 1024,
    quality: { ok: true, flags: [], stats: { std: 0.2 } },
    qualityOk: true,
    localisations: { A: { boxes: [{ x: 1, y: 2, w: 3, h: 4 }], peak: { x: 2, y: 3 }, extent: 0.1 } },
    lungFieldSource: 'image',
    provider: 'cpu',
    inferenceMs: 10,
    totalMs: 20,
    ...over,
  };
}

describe('AnalysisRepository', () => {
  let tick = 0;
  const clock = () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++));
  const db = openDatabase(':memory:');
  const index = new IndexRepository(db);
  const repo = new AnalysisRepository(db, clock);
  const a = index.upsertImage(makeImageRecord('a', { study: { studyInstanceUid: 'S1' } }));
  const b = index.upsertImage(makeImageRecord('b', { study: { studyInstanceUid: 'S1' } }));

  it('stores float32 outputs exactly and reads them back; has/latestFor/embeddings', () => {
    const id = repo.save(record(a.instanceId));
    expect(repo.has(a.instanceId, 'pack', '1')).toBe(true);
    expect(repo.has(a.instanceId, 'pack', '2')).toBe(false);
    const row = repo.latestFor(a.instanceId)!;
    expect(row.id).toBe(id);
    expect([...row.probabilities]).toEqual([0.25, 0.75]);
    expect(row.logits![1]).toBeCloseTo(1.1, 6);
    expect(row.localisations).toEqual({ A: { boxes: [{ x: 1, y: 2, w: 3, h: 4 }], peak: { x: 2, y: 3 }, extent: 0.1 } });
    expect(row.quality).toEqual({ ok: true, flags: [], stats: { std: 0.2 } });
    repo.save(record(b.instanceId, { embedding: new Float32Array([4, 5, 6]) }));
    repo.save(record(b.instanceId, { packVersion: '2', embedding: new Float32Array([7, 8, 9]) }));
    const emb = repo.embeddings('pack', '1');
    expect(emb.map((e) => e.instanceId)).toEqual([a.instanceId, b.instanceId]);
    expect(emb[1]!.embedding).toBeInstanceOf(Float32Array);
    expect([...emb[1]!.embedding]).toEqual([4, 5, 6]);
    expect(repo.latestFor(b.instanceId, 'pack')!.packVersion).toBe('2');
    expect(repo.latestFor(b.instanceId, 'other')).toBeNull();
    expect(repo.latestForStudy(a.studyId, 'pack').map((r) => [r.instanceId, r.packVersion])).toEqual([
      [a.instanceId, '1'],
      [b.instanceId, '2'],
    ]);
  });

  it('a forced re-analysis replaces the row in place, keeping its id and its reviews', () => {
    const first = repo.latestFor(a.instanceId)!;
    repo.setReview(first.id, 'B', 'accepted', null);
    const id = repo.save(record(a.instanceId, { probabilities: new Float32Array([0.5, 0.5]) }));
    expect(id).toBe(first.id);
    expect([...repo.get(id)!.probabilities]).toEqual([0.5, 0.5]);
    repo.setReview(id, 'B', 'edited', 'small left effusion');
    expect(repo.reviewsFor(id)).toMatchObject([{ label: 'B', decision: 'edited', text: 'small left effusion' }]);
  });

  it('keeps calibrations per pack version, newest in force', () => {
    expect(repo.latestCalibration('pack', '1')).toBeNull();
    repo.saveCalibration({ packId: 'pack', packVersion: '1', method: 'youden', targetSensitivity: null, source: 's', imageCount: 80, labels: [{ label: 'A', threshold: 0.3 }] });
    const second = repo.saveCalibration({ packId: 'pack', packVersion: '1', method: 'sensitivity', targetSensitivity: 0.9, source: 's', imageCount: 80, labels: [] });
    const c = repo.latestCalibration('pack', '1')!;
    expect(c.id).toBe(second);
    expect(c.method).toBe('sensitivity');
    expect(c.targetSensitivity).toBe(0.9);
    expect(repo.latestCalibration('pack', '2')).toBeNull();
  });

  it('reads JSON columns through their schemas: a row that does not hold what this version expects fails, naming it', () => {
    const id = repo.save(record(a.instanceId));
    db.sqlite.prepare('UPDATE analyses SET quality = ? WHERE id = ?').run(JSON.stringify({ ok: 'yes', flags: [] }), id);
    expect(() => repo.get(id)).toThrow(new RegExp(`stored quality of analysis ${id} does not hold what this version expects \\(ok: `));
    db.sqlite.prepare('UPDATE analyses SET quality = ? WHERE id = ?').run('{not json', id);
    expect(() => repo.get(id)).toThrow(new RegExp(`stored quality of analysis ${id} is not valid JSON`));
  });
});
