import { describe, expect, it } from 'vitest';
import { AnnotationRepository } from './annotationRepository.js';
import { openDatabase } from './connection.js';
import { IndexRepository } from './indexRepository.js';
import { makeImageRecord } from './testFixtures.js';

describe('AnnotationRepository', () => {
  it('stores measurements per image with author and time, lists them oldest first and removes one', () => {
    const db = openDatabase(':memory:');
    const { instanceId } = new IndexRepository(db).upsertImage(makeImageRecord(1));
    const repo = new AnnotationRepository(db, () => new Date('2025-03-04T05:06:07Z'));
    const ruler = repo.create({ instanceId, kind: 'ruler', points: [[10, 20], [110, 20]], author: 'Dr A' });
    const ctr = repo.create({ instanceId, kind: 'ctr', points: [[1, 2], [3, 2], [0, 5], [9, 5]], author: 'Dr A' });
    expect(ruler).toEqual({ id: ruler.id, instanceId, kind: 'ruler', points: [[10, 20], [110, 20]], author: 'Dr A', createdAt: '2025-03-04T05:06:07.000Z' });
    expect(repo.list(instanceId).map((a) => a.kind)).toEqual(['ruler', 'ctr']);
    expect(repo.delete(ruler.id).id).toBe(ruler.id);
    expect(repo.list(instanceId)).toEqual([ctr]);
    expect(() => repo.delete(ruler.id)).toThrow(/no measurement/);
    expect(() => repo.create({ instanceId: 999, kind: 'ruler', points: [[0, 0], [1, 1]], author: 'x' })).toThrow(/no image/);
  });
});
