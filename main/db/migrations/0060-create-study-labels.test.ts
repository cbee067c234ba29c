import { describe, expect, it } from 'vitest';
import { atVersionBefore, seedInstance, seedStudy, version } from './migrationTestKit.js';

describe('0060 create-study-labels', () => {
  it('backfills reference labels of existing studies, once per label', () => {
    const { db, migrateTo } = atVersionBefore(60);
    const studyId = seedStudy(db);
    const a = seedInstance(db, studyId, 'a');
    const b = seedInstance(db, studyId, 'b');
    const addFinding = db.sqlite.prepare("INSERT INTO reference_findings (instance_id, label) VALUES (?, ?)");
    addFinding.run(a, 'Effusion');
    addFinding.run(b, 'Effusion');
    addFinding.run(b, 'Nodule');
    migrateTo();
    expect(version(db)).toBe(60);
    const labels = db.sqlite.prepare('SELECT label, study_id, source FROM study_labels ORDER BY label').all();
    expect(labels).toEqual([
      { label: 'Effusion', study_id: studyId, source: 'reference' },
      { label: 'Nodule', study_id: studyId, source: 'reference' },
    ]);
    // Labels compare without regard to case.
    expect(db.sqlite.prepare("SELECT count(*) FROM study_labels WHERE label = 'effusion'").pluck().get()).toBe(1);
  });
});
