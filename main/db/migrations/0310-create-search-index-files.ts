import type { Migration } from '../migration.js';

/**
 * Approximate (HNSW) search graphs saved under the data directory, one per pack version, with the fingerprint of
 * the embeddings they were built from: on start a graph is loaded only if the analyses still match it, otherwise
 * it is rebuilt (building a graph of 100,000 embeddings takes minutes, loading it a second).
 */
export const createSearchIndexFiles: Migration = {
  version: 310,
  name: 'create-search-index-files',
  up(db) {
    db.exec(`
      CREATE TABLE search_index_files (
        pack_id TEXT NOT NULL,
        pack_version TEXT NOT NULL,
        -- Path relative to the data directory.
        path TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        row_count INTEGER NOT NULL,
        dimensions INTEGER NOT NULL,
        -- Scale applied before int8 storage (see main/search/approximateIndex.ts).
        int8_gain REAL NOT NULL,
        -- JSON: the HNSW parameters it was built with.
        parameters TEXT NOT NULL,
        built_at TEXT NOT NULL,
        PRIMARY KEY (pack_id, pack_version)
      ) STRICT;
    `);
  },
};
