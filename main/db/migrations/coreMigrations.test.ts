import { describe, expect, it } from 'vitest';
import { migrate, openDatabase, type DbHandle } from '../connection.js';
import { allMigrations } from './index.js';

/** The database at the version just before `version`, and a function migrating it to `version`. */
function atVersionBefore(version: number): { db: DbHandle; migrateTo: () => void } {
  const db = openDatabase(':memory:', { migrations: allMigrations.filter((m) => m.version < version) });
  return { db, migrateTo: () => migrate(db.sqlite, allMigrations.filter((m) => m.version <= version), ':memory:') };
}

const version = (db: DbHandle) => db.sqlite.pragma('user_version', { simple: true });
const tables = (db: DbHandle) => db.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();

function seedStudy(db: DbHandle, uid = '1.2.3'): number {
  const pid = db.sqlite.prepare("INSERT INTO patients (patient_id, name) VALUES (?, 'Müller, Jörg') RETURNING id").pluck().get(`P-${uid}`);
  return db.sqlite
    .prepare(
      `INSERT INTO studies (study_instance_uid, patient_row_id, patient_name, patient_id, description, accession_number,
         institution, imported_at, updated_at) VALUES (?, ?, 'Müller, Jörg', ?, 'CHEST PA', 'ACC-77', 'St. Elsewhere', 'x', 'x') RETURNING id`,
    )
    .pluck()
    .get(uid, pid, `P-${uid}`) as number;
}

function seedInstance(db: DbHandle, studyId: number, key: string): number {
  const seriesId = db.sqlite
    .prepare("INSERT INTO series (study_id, series_instance_uid, modality, description) VALUES (?, ?, 'CR', 'PA erect') RETURNING id")
    .pluck()
    .get(studyId, `${key}.s`);
  return db.sqlite
    .prepare(
      `INSERT INTO instances (series_id, sop_instance_uid, format, pixel_rows, pixel_columns, bits_stored, file_path, file_size,
         file_mtime_ms, content_hash, thumbnail_path, imported_at, updated_at)
       VALUES (?, ?, 'png', 1024, 1024, 8, ?, 1, 1, 'h', 't.png', 'x', 'x') RETURNING id`,
    )
    .pluck()
    .get(seriesId, `${key}.i`, `/img/${key}.png`) as number;
}

describe('0010 create-patients', () => {
  it('creates patients keyed by (patient_id, issuer)', () => {
    const { db, migrateTo } = atVersionBefore(10);
    expect(version(db)).toBe(0);
    migrateTo();
    expect(version(db)).toBe(10);
    const insert = db.sqlite.prepare('INSERT INTO patients (patient_id, issuer, name) VALUES (?, ?, ?)');
    insert.run('P1', '', 'A');
    insert.run('P1', 'HOSP2', 'B');
    expect(() => insert.run('P1', '', 'C')).toThrow(/UNIQUE/);
    expect(() => db.sqlite.prepare("INSERT INTO patients (patient_id, sex) VALUES ('P2', 'X')").run()).toThrow(/CHECK/);
  });
});

describe('0020 create-studies', () => {
  it('keeps existing patients, adds studies that cascade from them and copy their name', () => {
    const { db, migrateTo } = atVersionBefore(20);
    db.sqlite.prepare("INSERT INTO patients (patient_id, name) VALUES ('P1', 'Old, Name')").run();
    migrateTo();
    expect(version(db)).toBe(20);
    db.sqlite
      .prepare("INSERT INTO studies (study_instance_uid, patient_row_id, patient_name, patient_id, imported_at, updated_at) VALUES ('1.2', 1, 'Old, Name', 'P1', 'x', 'x')")
      .run();
    const s = db.sqlite.prepare('SELECT status, ai_status, image_count FROM studies').get();
    expect(s).toEqual({ status: 'unread', ai_status: 'none', image_count: 0 });
    db.sqlite.prepare("UPDATE patients SET name = 'New, Name' WHERE id = 1").run();
    expect(db.sqlite.prepare('SELECT patient_name FROM studies').pluck().get()).toBe('New, Name');
    expect(() => db.sqlite.prepare("UPDATE studies SET status = 'lost'").run()).toThrow(/CHECK/);
    db.sqlite.prepare('DELETE FROM patients').run();
    expect(db.sqlite.prepare('SELECT count(*) FROM studies').pluck().get()).toBe(0);
  });
});

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

describe('0050 create-reference-findings', () => {
  it('adds reference findings that cascade from instances', () => {
    const { db, migrateTo } = atVersionBefore(50);
    const instanceId = seedInstance(db, seedStudy(db), 'k');
    migrateTo();
    expect(version(db)).toBe(50);
    db.sqlite.prepare("INSERT INTO reference_findings (instance_id, label, source, box_x, box_y, box_w, box_h) VALUES (?, 'Nodule', 'bboxes.csv', 1, 2, 3, 4)").run(instanceId);
    expect(db.sqlite.prepare('SELECT label, box_w FROM reference_findings').get()).toEqual({ label: 'Nodule', box_w: 3 });
    db.sqlite.prepare('DELETE FROM instances').run();
    expect(db.sqlite.prepare('SELECT count(*) FROM reference_findings').pluck().get()).toBe(0);
  });
});

describe('0060 create-study-labels', () => {
  it('backfills reference labels of existing studies, once per label', () => {
    const { db, migrateTo } = atVersionBefore(60);
    const studyId = seedStudy(db);
    const a = seedInstance(db, studyId, 'a');
    const b = seedInstance(db, studyId, 'b');
    const addFinding = db.sqlite.prepare("INSERT INTO reference_findings (instance_id, label) VALUES (?, ?)");
    addFinding.run(a, 'Effusion');
    addFinding.run(b, 'Effusion');
    addFinding.run(b, 'Nodule');
    migrateTo();
    expect(version(db)).toBe(60);
    const labels = db.sqlite.prepare('SELECT label, study_id, source FROM study_labels ORDER BY label').all();
    expect(labels).toEqual([
      { label: 'Effusion', study_id: studyId, source: 'reference' },
      { label: 'Nodule', study_id: studyId, source: 'reference' },
    ]);
    // Labels compare without regard to case.
    expect(db.sqlite.prepare("SELECT count(*) FROM study_labels WHERE label = 'effusion'").pluck().get()).toBe(1);
  });
});

describe('0070 create-import-jobs', () => {
  it('adds import jobs whose items cascade', () => {
    const { db, migrateTo } = atVersionBefore(70);
    seedStudy(db);
    migrateTo();
    expect(version(db)).toBe(70);
    expect(tables(db)).toEqual(expect.arrayContaining(['import_jobs', 'import_job_items']));
    db.sqlite.prepare("INSERT INTO import_jobs (job_id, state, started_at, roots) VALUES ('j', 'running', 'x', '[]')").run();
    db.sqlite.prepare("INSERT INTO import_job_items (job_id, path, outcome, seq) VALUES ('j', '/a', 'imported', 1)").run();
    expect(() => db.sqlite.prepare("INSERT INTO import_job_items (job_id, path, outcome, seq) VALUES ('j', '/b', 'lost', 2)").run()).toThrow(/CHECK/);
    db.sqlite.prepare('DELETE FROM import_jobs').run();
    expect(db.sqlite.prepare('SELECT count(*) FROM import_job_items').pluck().get()).toBe(0);
    expect(db.sqlite.prepare('SELECT count(*) FROM studies').pluck().get()).toBe(1);
  });
});

describe('0080 create-settings', () => {
  it('adds the settings table', () => {
    const { db, migrateTo } = atVersionBefore(80);
    migrateTo();
    expect(version(db)).toBe(80);
    db.sqlite.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('ui.theme', '\"dark\"', 'x')").run();
    expect(db.sqlite.prepare('SELECT value FROM settings').pluck().get()).toBe('"dark"');
  });
});

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
