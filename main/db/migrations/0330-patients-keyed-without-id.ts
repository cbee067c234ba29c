import type { Migration } from '../migration.js';

/** The NIH ChestX-ray14 file name: 8-digit patient number, underscore, 3-digit follow-up. */
const NIH_FILE = /(?:^|[\\/])(\d{8})_\d{3}\.png$/i;

/**
 * Patients that never join by accident.
 * - A study without a Patient ID is a patient of its own, keyed by its Study Instance UID (`anonymous_study_uid`):
 *   before, every such study shared one "(no ID)" patient, so an anonymised film showed unrelated studies as priors.
 *   Existing studies of that shared patient are split, one patient each.
 * - NIH patient numbers are written one way, as in the file names (8 digits: `00013125`): an import with labels.csv
 *   stored `13125`, one without `00013125`, so the same patient's studies did not link. Existing rows are merged.
 * The table is rebuilt (its UNIQUE constraint changes), so foreign keys are off around the transaction; the
 * indexes and triggers on it are recreated as they were.
 */
export const patientsKeyedWithoutId: Migration = {
  version: 330,
  name: 'patients-keyed-without-id',
  rebuildsReferencedTable: true,
  up(db) {
    const dependents = db
      .prepare("SELECT sql FROM sqlite_master WHERE tbl_name = 'patients' AND type IN ('index', 'trigger') AND sql IS NOT NULL")
      .all() as { sql: string }[];
    db.exec(`
      CREATE TABLE patients_rebuilt (
        id INTEGER PRIMARY KEY,
        patient_id TEXT NOT NULL,
        issuer TEXT NOT NULL DEFAULT '',
        -- For a patient without an ID, the one study it came with; '' for every identified patient.
        anonymous_study_uid TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        sex TEXT CHECK (sex IN ('M', 'F', 'O')),
        birth_date TEXT,
        UNIQUE (patient_id, issuer, anonymous_study_uid),
        CHECK ((patient_id = '') = (anonymous_study_uid <> ''))
      ) STRICT;
      INSERT INTO patients_rebuilt (id, patient_id, issuer, anonymous_study_uid, name, sex, birth_date)
        SELECT id, patient_id, issuer, '', name, sex, birth_date FROM patients WHERE patient_id NOT IN ('', '(no ID)');
    `);

    // One patient per study for the studies that had no Patient ID.
    const orphans = db
      .prepare(
        `SELECT st.id AS study_id, st.study_instance_uid AS uid, p.name, p.sex, p.birth_date
         FROM studies st JOIN patients p ON p.id = st.patient_row_id WHERE p.patient_id IN ('', '(no ID)')`,
      )
      .all() as { study_id: number; uid: string; name: string; sex: string | null; birth_date: string | null }[];
    const addAnonymous = db.prepare(
      "INSERT INTO patients_rebuilt (patient_id, issuer, anonymous_study_uid, name, sex, birth_date) VALUES ('', '', ?, ?, ?, ?) RETURNING id",
    );
    const moveStudy = db.prepare("UPDATE studies SET patient_row_id = ?, patient_id = '' WHERE id = ?");
    for (const o of orphans) {
      const { id } = addAnonymous.get(o.uid, o.name, o.sex, o.birth_date) as { id: number };
      moveStudy.run(id, o.study_id);
    }

    // NIH patient numbers to 8 digits, merging a patient stored both ways.
    const nihPatients = db
      .prepare(
        `SELECT DISTINCT p.id, p.patient_id, p.issuer, i.file_path FROM patients_rebuilt p
         JOIN studies st ON st.patient_row_id = p.id JOIN series se ON se.study_id = st.id JOIN instances i ON i.series_id = se.id
         WHERE p.anonymous_study_uid = '' AND p.patient_id GLOB '[0-9]*' AND length(p.patient_id) < 8 AND i.format <> 'dicom'`,
      )
      .all() as { id: number; patient_id: string; issuer: string; file_path: string }[];
    const findPadded = db.prepare("SELECT id FROM patients_rebuilt WHERE patient_id = ? AND issuer = ? AND anonymous_study_uid = ''");
    const repoint = db.prepare('UPDATE studies SET patient_row_id = ? WHERE patient_row_id = ?');
    const drop = db.prepare('DELETE FROM patients_rebuilt WHERE id = ?');
    const rename = db.prepare('UPDATE patients_rebuilt SET patient_id = ? WHERE id = ?');
    const done = new Set<number>();
    for (const p of nihPatients) {
      const m = NIH_FILE.exec(p.file_path);
      const padded = p.patient_id.padStart(8, '0');
      if (done.has(p.id) || !m || m[1] !== padded) continue;
      done.add(p.id);
      const existing = findPadded.get(padded, p.issuer) as { id: number } | undefined;
      if (existing) {
        repoint.run(existing.id, p.id);
        drop.run(p.id);
      } else rename.run(padded, p.id);
    }
    db.exec(`
      UPDATE studies SET patient_id = (SELECT p.patient_id FROM patients_rebuilt p WHERE p.id = studies.patient_row_id),
                         patient_name = (SELECT p.name FROM patients_rebuilt p WHERE p.id = studies.patient_row_id);
      DROP TABLE patients;
      ALTER TABLE patients_rebuilt RENAME TO patients;
    `);
    for (const d of dependents) db.exec(d.sql);

    // A name, sex or birth date that disagrees with what an ID already has is kept as a warning, never merged silently.
    db.exec(`
      CREATE TABLE patient_identity_conflicts (
        id INTEGER PRIMARY KEY,
        patient_row_id INTEGER NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
        study_id INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
        field TEXT NOT NULL CHECK (field IN ('name', 'sex', 'birthDate')),
        stored TEXT NOT NULL,
        incoming TEXT NOT NULL,
        source_path TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (study_id, field, incoming)
      ) STRICT;
      CREATE INDEX patient_identity_conflicts_patient ON patient_identity_conflicts (patient_row_id);
    `);
  },
};
