import { describe, expect, it } from 'vitest';
import { atVersionBefore, seedInstance, seedStudy, version } from './migrationTestKit.js';

describe('0050 create-reference-findings', () => {
  it('adds reference findings that cascade from instances', () => {
    const { db, migrateTo } = atVersionBefore(50);
    const instanceId = seedInstance(db, seedStudy(db), 'k');
    migrateTo();
    expect(version(db)).toBe(50);
    db.sqlite.prepare("INSERT INTO reference_findings (instance_id, label, source, box_x, box_y, box_w, box_h) VALUES (?, 'Nodule', 'bboxes.csv', 1, 2, 3, 4)").run(instanceId);
    expect(db.sqlite.prepare('SELECT label, box_w FROM reference_findings').get()).toEqual({ label: 'Nodule', box_w: 3 });
    db.sqlite.prepare('DELETE FROM instances').run();
    expect(db.sqlite.prepare('SELECT count(*) FROM reference_findings').pluck().get()).toBe(0);
  });
});
