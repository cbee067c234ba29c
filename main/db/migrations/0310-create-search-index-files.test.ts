import { describe, expect, it } from 'vitest';
import { SearchRepository } from '../searchRepository.js';
import { TEST_PACK } from '../searchTestSeed.js';
import { atVersionBefore, seedInstance, seedStudy } from './migrationTestKit.js';

describe('0310 create-search-index-files', () => {
  it('adds search_index_files (one saved graph per pack version), keeping earlier data', () => {
    const { db, migrateTo } = atVersionBefore(310);
    seedInstance(db, seedStudy(db), 'k1');
    migrateTo();
    expect(db.sqlite.pragma('user_version', { simple: true })).toBe(310);
    expect(db.sqlite.prepare('SELECT count(*) FROM instances').pluck().get()).toBe(1);
    const search = new SearchRepository(db);
    const rec = { ...TEST_PACK, path: 'search/x.usearch', fingerprint: 'f', rowCount: 3, dimensions: 2, int8Gain: 4, parameters: { m: 16 }, builtAt: 'now' };
    search.recordIndexFile(rec);
    search.recordIndexFile({ ...rec, fingerprint: 'g' });
    expect(search.savedIndexFile(TEST_PACK)).toEqual({ ...rec, fingerprint: 'g' });
  });
});
