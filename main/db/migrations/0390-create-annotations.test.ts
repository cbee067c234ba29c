import { describe, expect, it } from 'vitest';
import { atVersionBefore, seedInstance, seedStudy, version } from './migrationTestKit.js';

describe('0390 create-annotations', () => {
  it('adds annotations that belong to an existing image, checked by kind, gone with their image', () => {
    const { db, migrateTo } = atVersionBefore(390);
    const instanceId = seedInstance(db, seedStudy(db), 'a');
    migrateTo();
    expect(version(db)).toBe(390);
    const insert = db.sqlite.prepare("INSERT INTO annotations (instance_id, kind, points_json, author, created_at) VALUES (?, ?, '[[1,2],[3,4]]', 'Dr A', 'x')");
    insert.run(instanceId, 'ruler');
    expect(() => insert.run(instanceId, 'freehand')).toThrow(/CHECK/);
    expect(() => insert.run(instanceId + 100, 'ruler')).toThrow(/FOREIGN KEY/);
    db.sqlite.prepare('DELETE FROM instances WHERE id = ?').run(instanceId);
    expect(db.sqlite.prepare('SELECT count(*) FROM annotations').pluck().get()).toBe(0);
  });
});
