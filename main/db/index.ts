/** The core index: the database connection, migrations and the repositories other domains call. */
export { openDatabase, migrate, schemaVersion, type DbHandle, type OpenOptions } from './connection.js';
export type { Migration, MigrationDb } from './migration.js';
export { allMigrations } from './migrations/index.js';
export * from './records.js';
export { systemClock, type Clock } from './clock.js';
export { IndexRepository, type AiStatus, type IndexedFile, type InstanceFile, type StudyAiSummary } from './indexRepository.js';
export { WorklistRepository, type WorklistPlan } from './worklistRepository.js';
export { StudyRepository, type ReadStatus } from './studyRepository.js';
export { ImportJobRepository, REPORT_LIST_LIMIT, type ImportItemOutcome, type ImportJobState } from './importJobRepository.js';
export { SettingsRepository } from './settingsRepository.js';
export { toFtsQuery } from './ftsQuery.js';
