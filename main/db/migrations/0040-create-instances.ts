import type { Migration } from '../migration.js';

/**
 * Instances (images), keyed by SOPInstanceUID and also unique by source file path, so a re-import finds the row
 * of a file by its path and compares content hashes.
 */
export const createInstances: Migration = {
  version: 40,
  name: 'create-instances',
  up(db) {
    db.exec(`
      CREATE TABLE instances (
        id INTEGER PRIMARY KEY,
        series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
        sop_instance_uid TEXT NOT NULL UNIQUE,
        sop_class_uid TEXT NOT NULL DEFAULT '',
        instance_number INTEGER,
        format TEXT NOT NULL CHECK (format IN ('dicom', 'png', 'jpeg')),
        transfer_syntax_uid TEXT,
        pixel_rows INTEGER NOT NULL,
        pixel_columns INTEGER NOT NULL,
        frames INTEGER NOT NULL DEFAULT 1,
        bits_stored INTEGER NOT NULL,
        photometric TEXT NOT NULL DEFAULT '',
        view_position TEXT NOT NULL DEFAULT '',
        body_part TEXT NOT NULL DEFAULT '',
        spacing_row_mm REAL,
        spacing_col_mm REAL,
        spacing_source TEXT CHECK (spacing_source IN ('PixelSpacing', 'ImagerPixelSpacing', 'NominalScannedPixelSpacing')),
        window_center REAL,
        window_width REAL,
        file_path TEXT NOT NULL UNIQUE,
        file_size INTEGER NOT NULL,
        file_mtime_ms REAL NOT NULL,
        content_hash TEXT NOT NULL,
        thumbnail_path TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE INDEX instances_series ON instances (series_id, instance_number);
    `);
  },
};
