import { describe, expect, it } from 'vitest';
import type { DbHandle } from '../connection.js';
import { atVersionBefore } from './migrationTestKit.js';

/** A study of the given patient (created by ID, as the schema before 0330 keyed them) with one image at `path`. */
function seed(db: DbHandle, patientId: string, studyUid: string, path: string, name = 'A'): number {
  db.sqlite.prepare("INSERT INTO patients (patient_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING").run(patientId, name);
  const pid = db.sqlite.prepare("SELECT id FROM patients WHERE patient_id = ? AND issuer = ''").pluck().get(patientId);
  const studyId = db.sqlite
    .prepare("INSERT INTO studies (study_instance_uid, patient_row_id, patient_name, patient_id, imported_at, updated_at) VALUES (?, ?, ?, ?, 'x', 'x') RETURNING id")
    .pluck()
    .get(studyUid, pid, name, patientId) as number;
  const seriesId = db.sqlite.prepare("INSERT INTO series (study_id, series_instance_uid) VALUES (?, ?) RETURNING id").pluck().get(studyId, `${studyUid}.1`);
  db.sqlite
    .prepare(
      `INSERT INTO instances (series_id, sop_instance_uid, format, pixel_rows, pixel_columns, bits_stored, file_path, file_size,
         file_mtime_ms, content_hash, thumbnail_path, imported_at, updated_at) VALUES (?, ?, ?, 1, 1, 8, ?, 1, 1, 'h', 't', 'x', 'x')`,
    )
    .run(seriesId, `${studyUid}.1.1`, path.endsWith('.png') ? 'png' : 'dicom', path);
  return studyId;
}

const patientOf = (db: DbHandle, studyId: number) =>
  db.sqlite.prepare('SELECT p.id, p.patient_id, p.anonymous_study_uid, s.patient_id AS copied FROM studies s JOIN patients p ON p.id = s.patient_row_id WHERE s.id = ?').get(studyId) as {
    id: number;
    patient_id: string;
    anonymous_study_uid: string;
    copied: string;
  };

describe('0330 patients-keyed-without-id', () => {
  it('splits the shared "(no ID)" patient into one patient per study, keeping every study and image', () => {
    const { db, migrateTo } = atVersionBefore(330);
    const a = seed(db, '(no ID)', '1.1', '/d/a.dcm');
    const b = seed(db, '(no ID)', '1.2', '/d/b.dcm');
    const c = seed(db, 'P7', '1.3', '/d/c.dcm');
    migrateTo();
    expect(db.sqlite.pragma('user_version', { simple: true })).toBe(330);
    expect(patientOf(db, a)).toMatchObject({ patient_id: '', anonymous_study_uid: '1.1', copied: '' });
    expect(patientOf(db, b)).toMatchObject({ patient_id: '', anonymous_study_uid: '1.2' });
    expect(patientOf(db, a).id).not.toBe(patientOf(db, b).id);
    expect(patientOf(db, c)).toMatchObject({ patient_id: 'P7', anonymous_study_uid: '' });
    expect(db.sqlite.prepare('SELECT count(*) FROM instances').pluck().get()).toBe(3);
    expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.sqlite.pragma('foreign_key_check')).toEqual([]);
    // The name copy trigger came back with the table.
    db.sqlite.prepare("UPDATE patients SET name = 'B' WHERE patient_id = 'P7'").run();
    expect(db.sqlite.prepare('SELECT patient_name FROM studies WHERE id = ?').pluck().get(c)).toBe('B');
    // Two patients without an ID and without a study to tell them apart cannot exist.
    expect(() => db.sqlite.prepare("INSERT INTO patients (patient_id, anonymous_study_uid) VALUES ('', '')").run()).toThrow(/CHECK/);
    db.close();
  });

  it('writes NIH patient numbers with 8 digits, merging a patient stored both ways; other numeric IDs stay', () => {
    const { db, migrateTo } = atVersionBefore(330);
    const short = seed(db, '13125', '2.1', '/nih/images/00013125_000.png');
    const long = seed(db, '00013125', '2.2', '/nih/other/00013125_001.png');
    const dicom = seed(db, '42', '2.3', '/pacs/42.dcm');
    migrateTo();
    expect(patientOf(db, short)).toMatchObject({ patient_id: '00013125', copied: '00013125' });
    expect(patientOf(db, short).id).toBe(patientOf(db, long).id);
    expect(patientOf(db, dicom).patient_id).toBe('42');
    expect(db.sqlite.prepare("SELECT count(*) FROM patients WHERE patient_id LIKE '%13125'").pluck().get()).toBe(1);
    db.close();
  });

  it('adds patient_identity_conflicts, removed with their study', () => {
    const { db, migrateTo } = atVersionBefore(330);
    const s = seed(db, 'P1', '3.1', '/d/x.dcm');
    migrateTo();
    const pid = patientOf(db, s).id;
    db.sqlite
      .prepare("INSERT INTO patient_identity_conflicts (patient_row_id, study_id, field, stored, incoming, source_path, created_at) VALUES (?, ?, 'name', 'A', 'B', '/d/x.dcm', 'x')")
      .run(pid, s);
    db.sqlite.prepare('DELETE FROM studies WHERE id = ?').run(s);
    expect(db.sqlite.prepare('SELECT count(*) FROM patient_identity_conflicts').pluck().get()).toBe(0);
    db.close();
  });
});
