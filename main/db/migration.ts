/**
 * A numbered schema migration. Files are `migrations/NNNN-what-it-does.ts`, numbered in steps of 10 so one can be
 * slotted between two others while a branch is open; each domain keeps to its own range:
 *   0010–0090 core index (patients, studies, series, instances, imports, settings)
 *   0100–0190 AI analyses, findings, calibrations
 *   0200–0290 reports and the audit log
 *   0300–0390 similar-case search, cohorts
 * Every migration has a test that builds the database at the version before it, seeds it, migrates and asserts.
 */
export interface MigrationDb {
  exec(sql: string): void;
  prepare(sql: string): { run(...params: unknown[]): unknown; all(...params: unknown[]): unknown[]; get(...params: unknown[]): unknown };
}

export interface Migration {
  version: number;
  name: string;
  up(db: MigrationDb): void;
}
