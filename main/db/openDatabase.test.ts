import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CoreError } from '../api/envelope.js';
import { openDatabase } from './connection.js';
import { allMigrations } from './migrations/index.js';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxr-db-'));
  dirs.push(dir);
  return join(dir, 'index.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const latest = allMigrations[allMigrations.length - 1]!.version;

describe('openDatabase', () => {
  it('migrates a new file to the latest version, and reopening changes nothing', () => {
    const path = tempDb();
    const db = openDatabase(path);
    expect(db.sqlite.pragma('user_version', { simple: true })).toBe(latest);
    db.sqlite.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('k', '1', 'x')").run();
    db.close();
    const again = openDatabase(path);
    expect(again.sqlite.prepare('SELECT value FROM settings').pluck().get()).toBe('1');
    again.close();
  });

  it('refuses a database written by a newer version with a clear message, leaving the file untouched', () => {
    const path = tempDb();
    const db = openDatabase(path);
    db.sqlite.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('k', '1', 'x')").run();
    db.sqlite.pragma(`user_version = ${latest + 1000}`);
    db.close();
    const before = sha(path);

    let error: unknown;
    try {
      openDatabase(path);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code).toBe('unsupported');
    expect((error as CoreError).message).toContain(path);
    expect((error as CoreError).message).toMatch(new RegExp(`schema version ${latest + 1000}, newer than this program knows \\(${latest}\\)`));
    expect(sha(path)).toBe(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('leaves a newer database in rollback-journal mode untouched too', () => {
    const path = tempDb();
    const raw = new Database(path);
    raw.exec('CREATE TABLE future (x)');
    raw.pragma(`user_version = ${latest + 1}`);
    raw.close();
    const before = sha(path);
    expect(() => openDatabase(path)).toThrow(/newer than this program knows/);
    expect(sha(path)).toBe(before);
  });
});
