import { describe, expect, it } from 'vitest';
import type { DbHandle } from '../connection.js';
import { atVersionBefore, seedInstance, seedStudy, version } from './migrationTestKit.js';

describe('0090 create-worklist-fts', () => {
  const search = (db: DbHandle, q: string) => db.sqlite.prepare('SELECT rowid FROM study_fts WHERE study_fts MATCH ? ORDER BY rowid').pluck().all(q);

  it('indexes the studies already stored, and keeps in step afterwards', () => {
    const { db, migrateTo } = atVersionBefore(90);
    const s1 = seedStudy(db, '1.1');
    seedInstance(db, s1, 'x');
    migrateTo();
    expect(version(db)).toBe(90);
    expect(search(db, '"muller"*')).toEqual([s1]);
    expect(search(db, 'series_description : "erect"')).toEqual([s1]);
    expect(search(db, '"acc"* "77"*')).toEqual([s1]);

    const s2 = seedStudy(db, '2.2');
    expect(search(db, '"elsewhere"')).toEqual([s1, s2]);
    db.sqlite.prepare("UPDATE patients SET name = 'Ångström, Anders' WHERE patient_id = 'P-2.2'").run();
    expect(search(db, '"angs"*')).toEqual([s2]);
    expect(search(db, '"jorg"')).toEqual([s1]);
    db.sqlite.prepare("UPDATE series SET description = 'lateral' WHERE study_id = ?").run(s1);
    expect(search(db, '"erect"')).toEqual([]);
    expect(search(db, '"lateral"')).toEqual([s1]);
    db.sqlite.prepare('DELETE FROM studies WHERE id = ?').run(s1);
    expect(db.sqlite.prepare('SELECT rowid FROM study_fts').pluck().all()).toEqual([s2]);
  });
});
