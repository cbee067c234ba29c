import type { Migration } from '../migration.js';

/** Key/value settings, values stored as JSON text and validated by the reader's schema. */
export const createSettings: Migration = {
  version: 80,
  name: 'create-settings',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
