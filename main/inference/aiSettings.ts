import { z } from 'zod';
import type { SettingsRepository } from '../db/settingsRepository.js';
import { PROVIDER_PREFERENCE, type ProviderSetting } from './providers.js';

const ACTIVE_PACK_KEY = 'ai.activePackId';
const PROVIDER_KEY = 'ai.provider';
const ANALYSE_ON_IMPORT_KEY = 'ai.analyseOnImport';
const ProviderSettingSchema = z.enum(['auto', ...PROVIDER_PREFERENCE]);

/** The AI settings of this site: which pack analyses, which execution provider runs it, whether imports analyse. */
export class AiSettings {
  constructor(private readonly settings: SettingsRepository) {}

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

  /** Whether imports analyse new images in the same pass: the site's choice, or null (on when a pack is installed). */
  analyseOnImport(): boolean | null {
    return this.settings.get(ANALYSE_ON_IMPORT_KEY, z.boolean().nullable(), null);
  }

  setAnalyseOnImport(on: boolean): void {
    this.settings.set(ANALYSE_ON_IMPORT_KEY, on);
  }
}
