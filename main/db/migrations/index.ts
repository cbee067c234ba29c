import type { Migration } from '../migration.js';

/**
 * Every migration, in order. Each domain appends its own (see ../migration.ts for the number ranges); the order is
 * checked when the database opens.
 */
export const allMigrations: readonly Migration[] = [
];
