import { describe, expect, it } from 'vitest';
import { atVersionBefore, version } from './migrationTestKit.js';

describe('0010 create-patients', () => {
  it('creates patients keyed by (patient_id, issuer)', () => {
    const { db, migrateTo } = atVersionBefore(10);
    expect(version(db)).toBe(0);
    migrateTo();
    expect(version(db)).toBe(10);
    const insert = db.sqlite.prepare('INSERT INTO patients (patient_id, issuer, name) VALUES (?, ?, ?)');
    insert.run('P1', '', 'A');
    insert.run('P1', 'HOSP2', 'B');
    expect(() => insert.run('P1', '', 'C')).toThrow(/UNIQUE/);
    expect(() => db.sqlite.prepare("INSERT INTO patients (patient_id, sex) VALUES ('P2', 'X')").run()).toThrow(/CHECK/);
  });
});
