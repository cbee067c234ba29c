import { describe, expect, it } from 'vitest';
import { atVersionBefore, seedStudy, version } from './migrationTestKit.js';

describe('0040 create-instances', () => {
  it('adds instances unique by SOP UID and by file path', () => {
    const { db, migrateTo } = atVersionBefore(40);
    const studyId = seedStudy(db);
    db.sqlite.prepare("INSERT INTO series (study_id, series_instance_uid) VALUES (?, 'se')").run(studyId);
    migrateTo();
    expect(version(db)).toBe(40);
    const insert = db.sqlite.prepare(
      `INSERT INTO instances (series_id, sop_instance_uid, format, pixel_rows, pixel_columns, bits_stored, file_path, file_size,
         file_mtime_ms, content_hash, thumbnail_path, imported_at, updated_at) VALUES (1, ?, 'dicom', 1, 1, 8, ?, 1, 1, 'h', 't', 'x', 'x')`,
    );
    insert.run('1.1', '/a.dcm');
    expect(() => insert.run('1.1', '/b.dcm')).toThrow(/UNIQUE.*sop_instance_uid/);
    expect(() => insert.run('1.2', '/a.dcm')).toThrow(/UNIQUE.*file_path/);
    db.sqlite.prepare('DELETE FROM series').run();
    expect(db.sqlite.prepare('SELECT count(*) FROM instances').pluck().get()).toBe(0);
  });
});
