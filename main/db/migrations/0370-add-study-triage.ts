import type { Migration } from '../migration.js';

/**
 * The worklist's triage summary of a study (main/findings/triage.ts): the top called finding, how many are called,
 * and the sort key relative to operating points, with its index (unanalysed studies last in both directions).
 * Studies analysed before this version have no score until their AI summary is recomputed (the next analysis or
 * calibration); the worklist then shows them as analysed without a triage and sorts them after the triaged ones.
 */
export const addStudyTriage: Migration = {
  version: 370,
  name: 'add-study-triage',
  up(db) {
    db.exec(`
      ALTER TABLE studies ADD COLUMN top_finding TEXT;
      ALTER TABLE studies ADD COLUMN called_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE studies ADD COLUMN triage_score REAL;
      -- Descending walks this one (NULL sorts first, so last when descending); ascending walks the nulls-last one.
      CREATE INDEX studies_triage ON studies (triage_score);
      CREATE INDEX studies_triage_nulls_last ON studies (triage_score IS NULL, triage_score);
    `);
  },
};
