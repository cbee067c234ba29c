import type { Migration } from '../migration.js';

/**
 * The reader's measurements per image (main/api/annotations.ts): kind, points as JSON in image pixels, who drew
 * them and when. They go with their image.
 */
export const createAnnotations: Migration = {
  version: 390,
  name: 'create-annotations',
  up(db) {
    db.exec(`
      CREATE TABLE annotations (
        id INTEGER PRIMARY KEY,
        instance_id INTEGER NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('ruler', 'angle', 'ellipse', 'ctr')),
        points_json TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX annotations_instance ON annotations (instance_id);
    `);
  },
};
