import { userInfo } from 'node:os';
import { z } from 'zod';
import type { Reader } from '../api/reader.js';
import type { AuditRepository, NewAuditEntry } from '../db/auditRepository.js';
import type { SettingsRepository } from '../db/settingsRepository.js';

/**
 * Who is reading: the reader name set in the settings (`reader.name`), else the operating-system account running the
 * workstation (an offline workstation has no sign-in of its own; the OS login is the identity a clinic's IT person
 * can vouch for). Decided here, in one place, never taken from what a client sends.
 */
export function currentReader(settings: SettingsRepository): string {
  return readerOf(settings).name;
}

/** The current reader and where the name comes from. */
export function readerOf(settings: SettingsRepository): Reader {
  const name = settings.get(READER_SETTING, z.string().min(1), '');
  if (name) return { name, source: 'setting' };
  try {
    return { name: userInfo().username || 'unknown user', source: 'os-account' };
  } catch {
    return { name: 'unknown user', source: 'os-account' };
  }
}

/** The setting that names the reader (Settings → Reader, `cxr reader NAME`). */
export const READER_SETTING = 'reader.name';

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

  reader(): Reader {
    return readerOf(this.settings);
  }

  /** Changes the reader (null: back to the OS account); the change is audited, naming the old and the new reader. */
  setReader(name: string | null): Reader {
    const before = this.reader();
    // An empty name reads as unset (see readerOf): the OS account again.
    this.settings.set(READER_SETTING, name ?? '');
    const after = this.reader();
    this.repo.append({ actor: before.name, action: 'reader_set', entityType: 'settings', entityId: READER_SETTING, detail: { from: before, to: after } });
    return after;
  }

  /**
   * Appends one entry. `actor` is the current reader unless the entry names the one an operation already decided (an
   * operation asks once, so its row and its audit entry cannot name two different readers); never a client's claim.
   */
  record(entry: Omit<NewAuditEntry, 'actor'> & { actor?: string }): number {
    return this.repo.append({ ...entry, actor: entry.actor ?? this.actor() });
  }
}
