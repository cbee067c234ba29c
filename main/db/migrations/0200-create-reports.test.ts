import { describe, expect, it } from 'vitest';
import { atVersionBefore, insertReport, version } from './migrationTestKit.js';

describe('0200 create-reports', () => {
  it('adds reports, addenda and their FTS index to a database at 0199 without touching what is there', () => {
    const { db, migrateTo } = atVersionBefore(200);
    db.sqlite.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('probe', 'kept', 'x')").run();
    migrateTo();
    expect(version(db)).toBe(200);
    expect(db.sqlite.prepare("SELECT value FROM settings WHERE key = 'probe'").pluck().get()).toBe('kept');
    const id = insertReport(db);
    expect(db.sqlite.prepare("SELECT rowid FROM reports_fts WHERE reports_fts MATCH 'effusion'").pluck().all()).toEqual([id]);
    db.close();
  });

  it('triggers keep a final report immutable and undeletable, states forward, addenda append-only and only on final', () => {
    const { db, migrateTo } = atVersionBefore(200);
    migrateTo();
    const draft = insertReport(db);
    const prelim = insertReport(db, 'preliminary');
    const final = insertReport(db, 'final', 'Dr A');
    expect(() => db.sqlite.prepare("UPDATE reports SET body_text = 'changed' WHERE id = ?").run(final)).toThrow(/final \(signed\) and cannot be changed/);
    expect(() => db.sqlite.prepare("UPDATE reports SET state = 'draft', signed_by = NULL, signed_at = NULL WHERE id = ?").run(final)).toThrow(/cannot be changed/);
    expect(() => db.sqlite.prepare('DELETE FROM reports WHERE id = ?').run(final)).toThrow(/cannot be deleted/);
    expect(() => db.sqlite.prepare("UPDATE reports SET state = 'draft' WHERE id = ?").run(prelim)).toThrow(/cannot go back to draft/);
    // final needs a signer (CHECK constraint)
    expect(() => db.sqlite.prepare("UPDATE reports SET state = 'final' WHERE id = ?").run(draft)).toThrow(/CHECK constraint/);
    expect(() => db.sqlite.prepare("INSERT INTO report_addenda (report_id, text, author, created_at) VALUES (?, 'x', 'a', 'x')").run(draft)).toThrow(/only added to final/);
    const add = db.sqlite.prepare("INSERT INTO report_addenda (report_id, text, author, created_at) VALUES (?, 'pneumothorax resolved', 'a', 'x') RETURNING id").pluck().get(final);
    expect(() => db.sqlite.prepare("UPDATE report_addenda SET text = 'y' WHERE id = ?").run(add)).toThrow(/append-only/);
    expect(() => db.sqlite.prepare('DELETE FROM report_addenda WHERE id = ?').run(add)).toThrow(/append-only/);
    expect(db.sqlite.prepare("SELECT rowid FROM reports_fts WHERE reports_fts MATCH 'pneumothorax'").pluck().all()).toEqual([final]);
    // drafts stay editable and deletable, and the FTS row follows
    db.sqlite.prepare("UPDATE reports SET body_text = 'cardiomegaly' WHERE id = ?").run(draft);
    expect(db.sqlite.prepare("SELECT rowid FROM reports_fts WHERE reports_fts MATCH 'cardiomegaly'").pluck().all()).toEqual([draft]);
    db.sqlite.prepare('DELETE FROM reports WHERE id = ?').run(draft);
    expect(db.sqlite.prepare("SELECT count(*) FROM reports_fts WHERE reports_fts MATCH 'cardiomegaly'").pluck().get()).toBe(0);
    db.close();
  });
});
