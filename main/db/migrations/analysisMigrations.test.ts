import { describe, expect, it } from 'vitest';
import { migrate, openDatabase, type DbHandle } from '../connection.js';
import { IndexRepository } from '../indexRepository.js';
import { makeImageRecord } from '../testFixtures.js';
import { allMigrations } from './index.js';

function atVersionBefore(version: number): { db: DbHandle; migrateTo: () => void } {
  const db = openDatabase(':memory:', { migrations: allMigrations.filter((m) => m.version < version) });
  return { db, migrateTo: () => migrate(db.sqlite, allMigrations.filter((m) => m.version <= version), ':memory:') };
}

function insertAnalysis(db: DbHandle, instanceId: number, version = '1'): number {
  return db.sqlite
    .prepare(
      `INSERT INTO analyses (instance_id, pack_id, pack_version, labels, probabilities, image_width, image_height, quality, quality_ok,
         localisations, lung_field_source, provider, inference_ms, total_ms, created_at)
       VALUES (?, 'p', ?, '["A"]', ?, 10, 10, '{}', 1, '{}', 'image', 'cpu', 1, 2, 'now') RETURNING id`,
    )
    .pluck()
    .get(instanceId, version, Buffer.from(new Float32Array([0.5]).buffer)) as number;
}

describe('0100 create-analyses', () => {
  it('adds analyses keyed by instance and pack version, deleted with their instance; existing images are kept', () => {
    const { db, migrateTo } = atVersionBefore(100);
    const { instanceId } = new IndexRepository(db).upsertImage(makeImageRecord(1));
    migrateTo();
    expect(db.sqlite.pragma('user_version', { simple: true })).toBe(100);
    expect(db.sqlite.prepare('SELECT count(*) FROM instances').pluck().get()).toBe(1);
    insertAnalysis(db, instanceId);
    insertAnalysis(db, instanceId, '2');
    expect(() => insertAnalysis(db, instanceId)).toThrow(/UNIQUE/);
    expect(() => insertAnalysis(db, 9999)).toThrow(/FOREIGN KEY/);
    db.sqlite.prepare('DELETE FROM instances WHERE id = ?').run(instanceId);
    expect(db.sqlite.prepare('SELECT count(*) FROM analyses').pluck().get()).toBe(0);
    db.close();
  });
});

describe('0110 create-calibrations', () => {
  it('adds calibrations with a method check; analyses are kept', () => {
    const { db, migrateTo } = atVersionBefore(110);
    const { instanceId } = new IndexRepository(db).upsertImage(makeImageRecord(2));
    insertAnalysis(db, instanceId);
    migrateTo();
    expect(db.sqlite.prepare('SELECT count(*) FROM analyses').pluck().get()).toBe(1);
    const ins = db.sqlite.prepare(
      "INSERT INTO calibrations (pack_id, pack_version, method, source, image_count, labels, created_at) VALUES ('p', '1', ?, 'labels.csv', 80, '[]', 'now')",
    );
    ins.run('youden');
    expect(() => ins.run('guess')).toThrow(/CHECK/);
    db.close();
  });
});

describe('0120 create-finding-reviews', () => {
  it('adds one review per analysis and label, deleted with the analysis', () => {
    const { db, migrateTo } = atVersionBefore(120);
    const { instanceId } = new IndexRepository(db).upsertImage(makeImageRecord(3));
    const analysisId = insertAnalysis(db, instanceId);
    migrateTo();
    const ins = db.sqlite.prepare("INSERT INTO finding_reviews (analysis_id, label, decision, text, reviewed_at) VALUES (?, 'A', ?, NULL, 'now')");
    ins.run(analysisId, 'accepted');
    expect(() => ins.run(analysisId, 'rejected')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => db.sqlite.prepare("INSERT INTO finding_reviews VALUES (?, 'B', 'maybe', NULL, 'now')").run(analysisId)).toThrow(/CHECK/);
    db.sqlite.prepare('DELETE FROM analyses WHERE id = ?').run(analysisId);
    expect(db.sqlite.prepare('SELECT count(*) FROM finding_reviews').pluck().get()).toBe(0);
    db.close();
  });
});
