import { userInfo } from 'node:os';
import { z } from 'zod';
import { SettingsRepository } from '../db/settingsRepository.js';
import type { DbHandle } from '../db/connection.js';

/**
 * Who is reading, for the audit log where an operation carries no author: the reader name set in the settings
 * (`reader.name`), else the operating-system account running the workstation (an offline workstation has no
 * sign-in of its own; the OS login is the identity a clinic's IT person can vouch for).
 */
export function currentReader(db: DbHandle): string {
  const name = new SettingsRepository(db).get('reader.name', z.string().min(1), '');
  if (name) return name;
  try {
    return userInfo().username || 'unknown user';
  } catch {
    return 'unknown user';
  }
}
