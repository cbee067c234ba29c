import type { z } from 'zod';
import type { DbHandle } from './connection.js';
import { systemClock, type Clock } from './clock.js';

/**
 * Key/value settings stored as JSON. A reader names the schema of what it expects: a missing value, or one that no
 * longer fits (written by another version, edited by hand), gives the fallback instead of an error.
 */
export class SettingsRepository {
  constructor(
    private readonly db: DbHandle,
    private readonly clock: Clock = systemClock,
  ) {}

  get<T>(key: string, schema: z.ZodType<T>, fallback: T): T {
    const text = this.db.statement('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
    if (text === undefined) return fallback;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return fallback;
    }
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : fallback;
  }

  /** Stores a JSON-serialisable value (undefined is refused: it would read back as nothing). */
  set(key: string, value: unknown): void {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`setting "${key}": value is not JSON-serialisable`);
    this.db
      .statement(
        `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(key, text, this.clock().toISOString());
  }
}
