import { describe, expect, it } from 'vitest';
import { atVersionBefore, insertAnalysis, seedInstance, seedStudy } from './migrationTestKit.js';

describe('0100 create-analyses', () => {
  it('adds analyses keyed by instance and pack version, deleted with their instance; existing images are kept', () => {
    const { db, migrateTo } = atVersionBefore(100);
    const instanceId = seedInstance(db, seedStudy(db), 'k1');
    migrateTo();
    expect(db.sqlite.pragma('user_version', { simple: true })).toBe(100);
    expect(db.sqlite.prepare('SELECT count(*) FROM instances').pluck().get()).toBe(1);
    insertAnalysis(db, instanceId);
    insertAnalysis(db, instanceId, '2');
    expect(() => insertAnalysis(db, instanceId)).toThrow(/UNIQUE/);
    expect(() => insertAnalysis(db, 9999)).toThrow(/FOREIGN KEY/);
    db.sqlite.prepare('DELETE FROM instances WHERE id = ?').run(instanceId);
    expect(db.sqlite.prepare('SELECT count(*) FROM analyses').pluck().get()).toBe(0);
    db.close();
  });
});
