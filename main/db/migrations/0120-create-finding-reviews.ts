import type { Migration } from '../migration.js';

/** The reader's decision on each AI finding (accepted, rejected, or edited with their own wording). */
export const createFindingReviews: Migration = {
  version: 120,
  name: 'create-finding-reviews',
  up(db) {
    db.exec(`
      CREATE TABLE finding_reviews (
        analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected', 'edited')),
        text TEXT,
        reviewed_at TEXT NOT NULL,
        PRIMARY KEY (analysis_id, label)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
