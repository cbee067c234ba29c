import { describe, expect, it } from 'vitest';
import { atVersionBefore, seedStudy, version } from './migrationTestKit.js';

describe('0370 add-study-triage', () => {
  it('adds the triage columns to existing studies, empty until their AI summary is recomputed', () => {
    const { db, migrateTo } = atVersionBefore(370);
    const id = seedStudy(db);
    db.sqlite.prepare("UPDATE studies SET ai_status = 'done', max_probability = 0.8 WHERE id = ?").run(id);
    migrateTo();
    expect(version(db)).toBe(370);
    expect(db.sqlite.prepare('SELECT ai_status, max_probability, top_finding, called_count, triage_score FROM studies').get()).toEqual({
      ai_status: 'done',
      max_probability: 0.8,
      top_finding: null,
      called_count: 0,
      triage_score: null,
    });
    const plan = (sql: string) => (db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join(' ');
    expect(plan('SELECT id FROM studies ORDER BY triage_score DESC, id DESC LIMIT 5')).toMatch(/INDEX studies_triage\b/);
    expect(plan('SELECT id FROM studies ORDER BY triage_score IS NULL, triage_score, id LIMIT 5')).toMatch(/studies_triage_nulls_last/);
  });
});
