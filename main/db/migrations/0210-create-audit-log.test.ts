import { describe, expect, it } from 'vitest';
import { atVersionBefore, insertReport, version } from './migrationTestKit.js';

describe('0210 create-audit-log', () => {
  it('adds the append-only audit log to a database at 0209, keeping reports', () => {
    const { db, migrateTo } = atVersionBefore(210);
    const report = insertReport(db, 'final', 'Dr A');
    migrateTo();
    expect(version(db)).toBe(210);
    expect(db.sqlite.prepare('SELECT signed_by FROM reports WHERE id = ?').pluck().get(report)).toBe('Dr A');
    const id = db.sqlite
      .prepare("INSERT INTO audit_log (at, actor, action, entity_type, entity_id) VALUES ('2024-01-01T00:00:00Z', 'me', 'view', 'study', '1') RETURNING id")
      .pluck()
      .get();
    expect(() => db.sqlite.prepare("UPDATE audit_log SET actor = 'someone else' WHERE id = ?").run(id)).toThrow(/append-only: entries cannot be changed/);
    expect(() => db.sqlite.prepare('DELETE FROM audit_log WHERE id = ?').run(id)).toThrow(/append-only: entries cannot be deleted/);
    expect(() => db.sqlite.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(db.sqlite.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(1);
    db.close();
  });
});
