import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Migration } from '../migration.js';
import { allMigrations } from './index.js';
import { SHIPPED_MIGRATIONS, SHIPPED_SCHEMA_VERSION } from './shipped.js';

const folder = fileURLToPath(new URL('.', import.meta.url));
const key = (m: Migration) => `${String(m.version).padStart(4, '0')}-${m.name}`;

/**
 * The rule of one rising sequence: problems with `migrations` given what has shipped. Written as a function so the
 * test can show it catches the defect it exists for (a migration slotted below the shipped version).
 */
function sequenceProblems(migrations: readonly Migration[], shipped: readonly string[], shippedVersion: number): string[] {
  const problems: string[] = [];
  migrations.forEach((m, i) => {
    if (m.version % 10 !== 0) problems.push(`${key(m)}: numbers go in steps of 10`);
    if (i > 0 && m.version <= migrations[i - 1]!.version) problems.push(`${key(m)} comes after ${key(migrations[i - 1]!)}: not rising`);
    if (m.version <= shippedVersion && !shipped.includes(key(m))) {
      problems.push(`${key(m)} is numbered at or below the shipped schema version ${shippedVersion}: existing databases would never run it; number it above the newest migration`);
    }
  });
  for (const s of shipped) if (!migrations.some((m) => key(m) === s)) problems.push(`shipped migration ${s} is missing, renumbered or renamed`);
  const newest = migrations[migrations.length - 1];
  if (newest && newest.version > shippedVersion) problems.push(`${key(newest)} is newer than SHIPPED_SCHEMA_VERSION ${shippedVersion}: append it to shipped.ts`);
  return problems;
}

describe('the migration sequence', () => {
  it('is one rising sequence that contains every shipped migration and nothing slotted below them', () => {
    expect(sequenceProblems(allMigrations, SHIPPED_MIGRATIONS, SHIPPED_SCHEMA_VERSION)).toEqual([]);
    expect(SHIPPED_SCHEMA_VERSION).toBe(allMigrations[allMigrations.length - 1]!.version);
  });

  it('refuses a migration numbered below the shipped version (the defect of per-domain number ranges)', () => {
    const slotted: Migration = { version: 95, name: 'add-core-column', up: () => undefined };
    const withSlotted = [...allMigrations.filter((m) => m.version < 95), slotted, ...allMigrations.filter((m) => m.version > 95)];
    expect(sequenceProblems(withSlotted, SHIPPED_MIGRATIONS, SHIPPED_SCHEMA_VERSION).join('\n')).toMatch(/0095-add-core-column is numbered at or below the shipped schema version/);
    const next: Migration = { version: SHIPPED_SCHEMA_VERSION + 10, name: 'next', up: () => undefined };
    expect(sequenceProblems([...allMigrations, next], SHIPPED_MIGRATIONS, SHIPPED_SCHEMA_VERSION).join('\n')).toMatch(/append it to shipped.ts/);
    expect(sequenceProblems([...allMigrations, next], [...SHIPPED_MIGRATIONS, key(next)], next.version)).toEqual([]);
  });

  it('lists every migration file of the folder, under the version and name its file name says, with a test beside it', () => {
    const files = readdirSync(folder).filter((f) => /^\d{4}-.*\.ts$/.test(f) && !f.endsWith('.test.ts'));
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(allMigrations.map(key));
    for (const f of files) expect(readdirSync(folder)).toContain(f.replace(/\.ts$/, '.test.ts'));
  });
});
