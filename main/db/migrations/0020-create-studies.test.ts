import { describe, expect, it } from 'vitest';
import { atVersionBefore, version } from './migrationTestKit.js';

describe('0020 create-studies', () => {
  it('keeps existing patients, adds studies that cascade from them and copy their name', () => {
    const { db, migrateTo } = atVersionBefore(20);
    db.sqlite.prepare("INSERT INTO patients (patient_id, name) VALUES ('P1', 'Old, Name')").run();
    migrateTo();
    expect(version(db)).toBe(20);
    db.sqlite
      .prepare("INSERT INTO studies (study_instance_uid, patient_row_id, patient_name, patient_id, imported_at, updated_at) VALUES ('1.2', 1, 'Old, Name', 'P1', 'x', 'x')")
      .run();
    const s = db.sqlite.prepare('SELECT status, ai_status, image_count FROM studies').get();
    expect(s).toEqual({ status: 'unread', ai_status: 'none', image_count: 0 });
    db.sqlite.prepare("UPDATE patients SET name = 'New, Name' WHERE id = 1").run();
    expect(db.sqlite.prepare('SELECT patient_name FROM studies').pluck().get()).toBe('New, Name');
    expect(() => db.sqlite.prepare("UPDATE studies SET status = 'lost'").run()).toThrow(/CHECK/);
    db.sqlite.prepare('DELETE FROM patients').run();
    expect(db.sqlite.prepare('SELECT count(*) FROM studies').pluck().get()).toBe(0);
  });
});
