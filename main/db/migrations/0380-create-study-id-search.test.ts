import { describe, expect, it } from 'vitest';
import { atVersionBefore, seedStudy, version } from './migrationTestKit.js';

describe('0380 create-study-id-search', () => {
  it('indexes existing and new studies by any part of their patient ID and accession, and follows changes', () => {
    const { db, migrateTo } = atVersionBefore(380);
    const first = seedStudy(db, '00099999');
    migrateTo();
    expect(version(db)).toBe(380);
    const find = (q: string) => db.sqlite.prepare('SELECT rowid FROM study_id_trigram WHERE study_id_trigram MATCH ? ORDER BY rowid').pluck().all(`"${q}"`);
    expect(find('99999')).toEqual([first]);
    expect(find('cc-7')).toEqual([first]);
    const second = seedStudy(db, '12399999456');
    expect(find('99999')).toEqual([first, second]);
    db.sqlite.prepare("UPDATE studies SET patient_id = 'X-1' WHERE id = ?").run(first);
    expect(find('99999')).toEqual([second]);
    db.sqlite.prepare('DELETE FROM studies WHERE id = ?').run(second);
    expect(find('99999')).toEqual([]);
  });
});
