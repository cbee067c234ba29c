import { describe, expect, it } from 'vitest';
import { atVersionBefore, insertReport, version } from './migrationTestKit.js';

describe('0350 create-report-signed-state', () => {
  it('adds the frozen AI record and signed analyses to a database at 0899, keeping its reports', () => {
    const { db, migrateTo } = atVersionBefore(350);
    const signed = insertReport(db, 'final', 'Dr A');
    migrateTo();
    expect(version(db)).toBe(350);
    expect(db.sqlite.prepare('SELECT signed_by, ai_use_json FROM reports WHERE id = ?').get(signed)).toEqual({ signed_by: 'Dr A', ai_use_json: null });
    db.close();
  });

  it('freezes: snapshots only for final reports, never changed or deleted; the AI record only when final', () => {
    const { db, migrateTo } = atVersionBefore(350);
    migrateTo();
    const draft = insertReport(db);
    const final = insertReport(db, 'final', 'Dr A');
    const add = db.sqlite.prepare("INSERT INTO report_signed_analyses (report_id, instance_id, language, analysis_id, result_json) VALUES (?, 7, 'en', 3, '{}')");
    expect(() => add.run(draft)).toThrow(/signed \(final\) reports only/);
    add.run(final);
    expect(() => db.sqlite.prepare("UPDATE report_signed_analyses SET result_json = '[]'").run()).toThrow(/cannot be changed/);
    expect(() => db.sqlite.prepare('DELETE FROM report_signed_analyses').run()).toThrow(/cannot be deleted/);
    expect(() => db.sqlite.prepare("UPDATE reports SET ai_use_json = '{}' WHERE id = ?").run(draft)).toThrow(/only when it is signed/);
    // Signing writes the record in the same UPDATE that makes the report final; after that the report is immutable.
    db.sqlite.prepare("UPDATE reports SET state = 'final', signed_by = 'Dr B', signed_at = 'x', ai_use_json = '{}' WHERE id = ?").run(draft);
    expect(() => db.sqlite.prepare("UPDATE reports SET ai_use_json = '[]' WHERE id = ?").run(draft)).toThrow(/final \(signed\) and cannot be changed/);
    db.close();
  });
});
