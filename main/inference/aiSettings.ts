import { z } from 'zod';
import { SettingsRepository } from '../db/settingsRepository.js';
import type { DbHandle } from '../db/connection.js';
import { CoreError } from '../api/envelope.js';
import { listPacks } from './packs.js';
import type { ModelManifest } from './manifest.js';
import { PROVIDER_PREFERENCE, type ProviderSetting } from './providers.js';

const ACTIVE_PACK_KEY = 'ai.activePackId';
const PROVIDER_KEY = 'ai.provider';
const ProviderSettingSchema = z.enum(['auto', ...PROVIDER_PREFERENCE]);

/** The AI settings of this site: which pack analyses, and which execution provider runs it. */
export class AiSettings {
  private readonly settings: SettingsRepository;

  constructor(db: DbHandle) {
    this.settings = new SettingsRepository(db);
  }

  activePackId(): string | null {
    return this.settings.get(ACTIVE_PACK_KEY, z.string().nullable(), null);
  }

  setActivePackId(id: string): void {
    this.settings.set(ACTIVE_PACK_KEY, id);
  }

  provider(): ProviderSetting {
    // CXR_PROVIDER lets a benchmark or a support session force one without touching the site's setting.
    const env = process.env.CXR_PROVIDER;
    if (env && ProviderSettingSchema.safeParse(env).success) return env as ProviderSetting;
    return this.settings.get(PROVIDER_KEY, ProviderSettingSchema, 'auto');
  }

  setProvider(p: ProviderSetting): void {
    this.settings.set(PROVIDER_KEY, p);
  }
}

/**
 * The pack to use: the one asked for, else the site's active pack, else the first valid pack found (directory
 * order: the application's models/ first). Throws not_found naming what was looked for and where.
 */
export async function resolvePack(
  modelsDirs: readonly string[],
  wanted: string | null | undefined,
): Promise<{ dir: string; manifest: ModelManifest }> {
  const all = await listPacks(modelsDirs);
  const valid = all.filter((e): e is { dir: string; manifest: ModelManifest } => e.manifest !== undefined);
  if (wanted) {
    // Later directories override earlier ones (per-user installs win over the bundled pack of the same id).
    const match = valid.filter((e) => e.manifest.id === wanted).pop();
    if (!match) {
      const broken = all.find((e) => e.error && e.dir.endsWith(wanted));
      throw new CoreError('not_found', `no valid model pack "${wanted}" in ${modelsDirs.join(', ')}${broken ? ` (${broken.error})` : ''}`);
    }
    return match;
  }
  const first = valid[0];
  if (!first) throw new CoreError('not_found', `no model pack in ${modelsDirs.join(', ')}: install one with "cxr models install PATH"`);
  return first;
}
