import { userInfo } from 'node:os';
import { z } from 'zod';
import type { AuditRepository, NewAuditEntry } from '../db/auditRepository.js';
import type { SettingsRepository } from '../db/settingsRepository.js';

/**
 * Who is reading: the reader name set in the settings (`reader.name`), else the operating-system account running the
 * workstation (an offline workstation has no sign-in of its own; the OS login is the identity a clinic's IT person
 * can vouch for). Decided here, in one place, never taken from what a client sends.
 */
export function currentReader(settings: SettingsRepository): string {
  const name = settings.get('reader.name', z.string().min(1), '');
  if (name) return name;
  try {
    return userInfo().username || 'unknown user';
  } catch {
    return 'unknown user';
  }
}

/** The audit log as the domains write it: every entry is attributed to the current reader by the core. */
export class AuditTrail {
  constructor(
    private readonly repo: AuditRepository,
    private readonly settings: SettingsRepository,
  ) {}

  /** The reader the next entry will name. */
  actor(): string {
    return currentReader(this.settings);
  }

  /** Appends one entry; `actor` is the current reader unless the entry names one (a signature's signer). */
  record(entry: Omit<NewAuditEntry, 'actor'> & { actor?: string }): number {
    return this.repo.append({ ...entry, actor: entry.actor ?? this.actor() });
  }
}
