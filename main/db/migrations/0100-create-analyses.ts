import type { Migration } from '../migration.js';

/**
 * AI analyses: one row per image and model pack version, never recomputed unless forced (then updated in place,
 * keeping the id that reviews and heatmap URLs refer to). Model outputs are float32 blobs in the pack's label
 * order, which is stored with the row so a result stays readable after the pack changes. Deleting an instance
 * deletes its analyses.
 */
export const createAnalyses: Migration = {
  version: 100,
  name: 'create-analyses',
  up(db) {
    db.exec(`
      CREATE TABLE analyses (
        id INTEGER PRIMARY KEY,
        instance_id INTEGER NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
        pack_id TEXT NOT NULL,
        pack_version TEXT NOT NULL,
        -- JSON array: the labels, in the order of the probability/logit/CAM blobs.
        labels TEXT NOT NULL,
        probabilities BLOB NOT NULL,
        logits BLOB,
        embedding BLOB,
        cam BLOB,
        cam_rows INTEGER,
        cam_cols INTEGER,
        image_width INTEGER NOT NULL,
        image_height INTEGER NOT NULL,
        -- JSON: quality gate report (flags and image statistics).
        quality TEXT NOT NULL,
        quality_ok INTEGER NOT NULL CHECK (quality_ok IN (0, 1)),
        -- JSON: localisation (boxes, peak, laterality, zone, extent, organ) per label.
        localisations TEXT NOT NULL,
        lung_field_source TEXT NOT NULL,
        provider TEXT NOT NULL,
        inference_ms REAL NOT NULL,
        total_ms REAL NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (instance_id, pack_id, pack_version)
      ) STRICT;

      CREATE INDEX analyses_pack ON analyses (pack_id, pack_version, instance_id);
    `);
  },
};
