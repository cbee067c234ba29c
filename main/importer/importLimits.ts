import { ImportLimitsSchema, type ImportLimits } from '../api/imports.js';
import type { SettingsRepository } from '../db/settingsRepository.js';
import { DEFAULT_DECODE_LIMITS } from '../images/decodeLimits.js';

const MiB = 1024 * 1024;

/**
 * Defaults sized for a chest X-ray workstation: the largest radiographs (4300² at 16 bits, 37 MB uncompressed) pass
 * with room to spare, while the hostile corpus of bench/hostileImport.ts (65535² bitmaps, 20000² codestreams, zip
 * bombs) is refused before it allocates. A file a real site needs beyond them is a settings change, not a code change.
 */
export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxFileBytes: 256 * MiB,
  ...DEFAULT_DECODE_LIMITS,
  maxZipRatio: 100,
  maxFileSeconds: 60,
};

/** Zip members up to this size are never refused for their ratio (a tiny, very compressible file costs nothing). */
export const ZIP_RATIO_FLOOR_BYTES = MiB;

const SETTINGS_KEY = 'import.limits';
const StoredLimitsSchema = ImportLimitsSchema.partial();

/**
 * The site's import limits, kept in the settings table under `import.limits` as the values a site changed (the rest
 * follow the defaults, so a later default change reaches every limit a site left alone). Change them with
 * `cxr import --limits --max-file-mb 512` or the `import:setLimits` operation.
 */
export class ImportLimitSettings {
  constructor(private readonly settings: SettingsRepository) {}

  get(): ImportLimits {
    return { ...DEFAULT_IMPORT_LIMITS, ...this.settings.get(SETTINGS_KEY, StoredLimitsSchema, {}) };
  }

  /** Stores the given limits over the site's current ones and returns them all. */
  set(changes: Partial<ImportLimits>): ImportLimits {
    const stored = { ...this.settings.get(SETTINGS_KEY, StoredLimitsSchema, {}), ...StoredLimitsSchema.parse(changes) };
    this.settings.set(SETTINGS_KEY, stored);
    return this.get();
  }
}
