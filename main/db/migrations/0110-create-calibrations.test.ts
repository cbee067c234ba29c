import { describe, expect, it } from 'vitest';
import { atVersionBefore, insertAnalysis, seedInstance, seedStudy } from './migrationTestKit.js';

describe('0110 create-calibrations', () => {
  it('adds calibrations with a method check; analyses are kept', () => {
    const { db, migrateTo } = atVersionBefore(110);
    const instanceId = seedInstance(db, seedStudy(db), 'k2');
    insertAnalysis(db, instanceId);
    migrateTo();
    expect(db.sqlite.prepare('SELECT count(*) FROM analyses').pluck().get()).toBe(1);
    const ins = db.sqlite.prepare(
      "INSERT INTO calibrations (pack_id, pack_version, method, source, image_count, labels, created_at) VALUES ('p', '1', ?, 'labels.csv', 80, '[]', 'now')",
    );
    ins.run('youden');
    expect(() => ins.run('guess')).toThrow(/CHECK/);
    db.close();
  });
});
