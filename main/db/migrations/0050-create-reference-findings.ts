import type { Migration } from '../migration.js';

/** Reference (ground-truth) labels and expert boxes that came with an image, e.g. from the NIH label files. */
export const createReferenceFindings: Migration = {
  version: 50,
  name: 'create-reference-findings',
  up(db) {
    db.exec(`
      CREATE TABLE reference_findings (
        id INTEGER PRIMARY KEY,
        instance_id INTEGER NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        box_x REAL,
        box_y REAL,
        box_w REAL,
        box_h REAL
      ) STRICT;

      CREATE INDEX reference_findings_instance ON reference_findings (instance_id);
    `);
  },
};
