import { describe, expect, it } from 'vitest';
import { atVersionBefore, seedStudy, version } from './migrationTestKit.js';

describe('0030 create-series', () => {
  it('adds series that cascade from studies', () => {
    const { db, migrateTo } = atVersionBefore(30);
    const studyId = seedStudy(db);
    migrateTo();
    expect(version(db)).toBe(30);
    db.sqlite.prepare("INSERT INTO series (study_id, series_instance_uid, modality) VALUES (?, '1.2.1', 'DX')").run(studyId);
    expect(() => db.sqlite.prepare("INSERT INTO series (study_id, series_instance_uid) VALUES (?, '1.2.1')").run(studyId)).toThrow(/UNIQUE/);
    expect(() => db.sqlite.prepare("INSERT INTO series (study_id, series_instance_uid) VALUES (999, '1.2.2')").run()).toThrow(/FOREIGN KEY/);
    db.sqlite.prepare('DELETE FROM studies').run();
    expect(db.sqlite.prepare('SELECT count(*) FROM series').pluck().get()).toBe(0);
  });
});
