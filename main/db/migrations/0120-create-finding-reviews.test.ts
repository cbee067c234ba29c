import { describe, expect, it } from 'vitest';
import { atVersionBefore, insertAnalysis, seedInstance, seedStudy } from './migrationTestKit.js';

describe('0120 create-finding-reviews', () => {
  it('adds one review per analysis and label, deleted with the analysis', () => {
    const { db, migrateTo } = atVersionBefore(120);
    const instanceId = seedInstance(db, seedStudy(db), 'k3');
    const analysisId = insertAnalysis(db, instanceId);
    migrateTo();
    const ins = db.sqlite.prepare("INSERT INTO finding_reviews (analysis_id, label, decision, text, reviewed_at) VALUES (?, 'A', ?, NULL, 'now')");
    ins.run(analysisId, 'accepted');
    expect(() => ins.run(analysisId, 'rejected')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => db.sqlite.prepare("INSERT INTO finding_reviews VALUES (?, 'B', 'maybe', NULL, 'now')").run(analysisId)).toThrow(/CHECK/);
    db.sqlite.prepare('DELETE FROM analyses WHERE id = ?').run(analysisId);
    expect(db.sqlite.prepare('SELECT count(*) FROM finding_reviews').pluck().get()).toBe(0);
    db.close();
  });
});
