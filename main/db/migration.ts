/**
 * A numbered schema migration, `migrations/NNNN-what-it-does.ts`. All migrations form ONE rising sequence for the
 * whole schema, whatever their domain (Signal-Desktop's rule): the next migration is the next number (steps of 10),
 * never a number slotted between two existing ones. `PRAGMA user_version` records the newest migration applied and
 * only rises, so a migration numbered below one a database already has would silently never run there.
 * `migrations/shipped.ts` records what has shipped; `migrations/sequence.test.ts` fails when a migration is numbered
 * at or below it without being one of them. Every migration has a test next to it that builds the database at the
 * version before, seeds it, migrates and asserts.
 */
export interface MigrationDb {
  exec(sql: string): void;
  prepare(sql: string): { run(...params: unknown[]): unknown; all(...params: unknown[]): unknown[]; get(...params: unknown[]): unknown };
}

export interface Migration {
  version: number;
  name: string;
  /**
   * Rebuilds a table that others reference (SQLite cannot alter constraints in place): foreign keys are switched off
   * around the migration's transaction, as SQLite's documented procedure asks, and `PRAGMA foreign_key_check` must
   * find nothing before it commits.
   */
  rebuildsReferencedTable?: boolean;
  up(db: MigrationDb): void;
}
