/**
 * What the migration tests share: a database built at the version just before the migration under test, and small
 * seeders that write rows the way the schema of that time expects (plain SQL, not today's repositories, where the
 * repository would need a later table).
 */
import { migrate, openDatabase, type DbHandle } from '../connection.js';
import { allMigrations } from './index.js';

/** The database at the version just before `version`, and a function migrating it to `version`. */
export function atVersionBefore(version: number): { db: DbHandle; migrateTo: () => void } {
  const db = openDatabase(':memory:', { migrations: allMigrations.filter((m) => m.version < version) });
  return { db, migrateTo: () => migrate(db.sqlite, allMigrations.filter((m) => m.version <= version), ':memory:') };
}

export const version = (db: DbHandle): unknown => db.sqlite.pragma('user_version', { simple: true });
export const tables = (db: DbHandle): unknown[] => db.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();

export function seedStudy(db: DbHandle, uid = '1.2.3'): number {
  const pid = db.sqlite.prepare("INSERT INTO patients (patient_id, name) VALUES (?, 'Müller, Jörg') RETURNING id").pluck().get(`P-${uid}`);
  return db.sqlite
    .prepare(
      `INSERT INTO studies (study_instance_uid, patient_row_id, patient_name, patient_id, description, accession_number,
         institution, imported_at, updated_at) VALUES (?, ?, 'Müller, Jörg', ?, 'CHEST PA', 'ACC-77', 'St. Elsewhere', 'x', 'x') RETURNING id`,
    )
    .pluck()
    .get(uid, pid, `P-${uid}`) as number;
}

export function seedInstance(db: DbHandle, studyId: number, key: string): number {
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

export function insertAnalysis(db: DbHandle, instanceId: number, packVersion = '1'): number {
  return db.sqlite
    .prepare(
      `INSERT INTO analyses (instance_id, pack_id, pack_version, labels, probabilities, image_width, image_height, quality, quality_ok,
         localisations, lung_field_source, provider, inference_ms, total_ms, created_at)
       VALUES (?, 'p', ?, '["A"]', ?, 10, 10, '{}', 1, '{}', 'image', 'cpu', 1, 2, 'now') RETURNING id`,
    )
    .pluck()
    .get(instanceId, packVersion, Buffer.from(new Float32Array([0.5]).buffer)) as number;
}

export function insertReport(db: DbHandle, state = 'draft', signedBy: string | null = null): number {
  return db.sqlite
    .prepare(
      `INSERT INTO reports (study_id, study_instance_uid, template_id, language, title, state, sections_json, fields_json,
         ai_findings_json, key_images_json, body_text, author, created_at, updated_at, signed_by, signed_at)
       VALUES (1, '1.2.3', 't', 'en', 'T', ?, '[]', '{}', '[]', '[]', 'pleural effusion right', 'a', 'x', 'x', ?, ?) RETURNING id`,
    )
    .pluck()
    .get(state, signedBy, signedBy ? '2024-01-01T00:00:00.000Z' : null) as number;
}
