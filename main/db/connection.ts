import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { CoreError } from '../api/envelope.js';
import { allMigrations } from './migrations/index.js';
import type { Migration } from './migration.js';

/**
 * The only module that imports better-sqlite3. Everything else receives a `DbHandle` and prepares its statements
 * through it, so the driver could be swapped or moved to a worker thread in one place.
 */
export type SqliteDatabase = Database.Database;
export type SqliteStatement = Database.Statement;

export interface DbHandle {
  readonly sqlite: SqliteDatabase;
  readonly path: string;
  /** Prepared statements are cached per SQL text: repositories call this instead of `sqlite.prepare`. */
  statement(sql: string): SqliteStatement;
  /** Runs `fn` in one transaction (BEGIN IMMEDIATE); nested calls join the outer one. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export interface OpenOptions {
  /** Migrations to apply; defaults to the full list. Tests pass a prefix to build a database at version N−1. */
  migrations?: readonly Migration[];
  readonly?: boolean;
}

export function openDatabase(path: string, options: OpenOptions = {}): DbHandle {
  const migrations = options.migrations ?? allMigrations;
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path, { readonly: options.readonly ?? false });
  try {
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    // WAL only after migrate(): switching a refused (newer) database to WAL would rewrite its header.
    if (!options.readonly) migrate(sqlite, migrations, path);
    if (!options.readonly) sqlite.pragma('journal_mode = WAL');
  } catch (err) {
    sqlite.close();
    throw err;
  }
  const cache = new Map<string, SqliteStatement>();
  return {
    sqlite,
    path,
    statement(sql) {
      let st = cache.get(sql);
      if (!st) {
        st = sqlite.prepare(sql);
        cache.set(sql, st);
      }
      return st;
    },
    transaction(fn) {
      if (sqlite.inTransaction) return fn();
      return sqlite.transaction(fn).immediate();
    },
    close() {
      cache.clear();
      sqlite.close();
    },
  };
}

export function schemaVersion(sqlite: SqliteDatabase): number {
  return sqlite.pragma('user_version', { simple: true }) as number;
}

/** Applies pending migrations, each in its own transaction with `PRAGMA user_version`; refuses a newer database. */
export function migrate(sqlite: SqliteDatabase, migrations: readonly Migration[], path: string): void {
  assertOrdered(migrations);
  const current = schemaVersion(sqlite);
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
  if (current > latest) {
    throw new CoreError(
      'unsupported',
      `${path}: the database is at schema version ${current}, newer than this program knows (${latest}). ` +
        'It was written by a newer version of the workstation; install that version instead. Nothing was changed.',
    );
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    // Foreign keys can only be switched off outside a transaction; a table rebuild needs them off so that dropping
    // the old table does not cascade into the rows that reference it.
    const keysWereOn = m.rebuildsReferencedTable ? sqlite.pragma('foreign_keys', { simple: true }) === 1 : false;
    if (keysWereOn) sqlite.pragma('foreign_keys = OFF');
    try {
      sqlite.transaction(() => {
        m.up(sqlite);
        if (m.rebuildsReferencedTable) {
          const broken = sqlite.pragma('foreign_key_check') as unknown[];
          if (broken.length) throw new Error(`migration ${m.version} ${m.name} would leave ${broken.length} broken references; nothing was changed`);
        }
        sqlite.pragma(`user_version = ${m.version}`);
      }).immediate();
    } finally {
      if (keysWereOn) sqlite.pragma('foreign_keys = ON');
    }
  }
}

export function assertOrdered(migrations: readonly Migration[]): void {
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version <= migrations[i - 1]!.version) {
      throw new Error(`migrations out of order: ${migrations[i - 1]!.version} then ${migrations[i]!.version}`);
    }
  }
}
