import type { Migration } from '../migration.js';

/**
 * Patients, identified by DICOM PatientID together with its issuer (the same ID from two hospitals is two people).
 * An empty issuer means "not given".
 */
export const createPatients: Migration = {
  version: 10,
  name: 'create-patients',
  up(db) {
    db.exec(`
      CREATE TABLE patients (
        id INTEGER PRIMARY KEY,
        patient_id TEXT NOT NULL,
        issuer TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        sex TEXT CHECK (sex IN ('M', 'F', 'O')),
        birth_date TEXT,
        UNIQUE (patient_id, issuer)
      ) STRICT;
    `);
  },
};
