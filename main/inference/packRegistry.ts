import { stat } from 'node:fs/promises';
import { CoreError } from '../api/envelope.js';
import type { AiSettings } from './aiSettings.js';
import type { ModelManifest } from './manifest.js';
import { installPack, listPacks, type PackEntry } from './packs.js';

export type Pack = { dir: string; manifest: ModelManifest };

/**
 * The one place that knows which model packs are installed. The folders are listed once and listed again only when
 * one of them changed (its mtime: a pack folder added or removed) or a pack was installed through us; every caller
 * (analysis, presentation, search, priors, cohorts, reports, the model settings) asks here.
 */
export class PackRegistry {
  private listing: { stamp: string; entries: Promise<PackEntry[]> } | null = null;

  constructor(
    readonly modelsDirs: readonly string[],
    private readonly settings: AiSettings,
  ) {}

  /** Every folder that holds a manifest, valid or not (a broken one carries its error). */
  async entries(): Promise<PackEntry[]> {
    const stamp = (await Promise.all(this.modelsDirs.map((d) => stat(d).then((s) => `${d}@${s.mtimeMs}`, () => `${d}@-`)))).join('|');
    if (this.listing?.stamp !== stamp) {
      const entries = listPacks(this.modelsDirs);
      this.listing = { stamp, entries };
      entries.catch(() => {
        if (this.listing?.entries === entries) this.listing = null;
      });
    }
    return this.listing.entries;
  }

  async valid(): Promise<Pack[]> {
    return (await this.entries()).filter((e): e is Pack => e.manifest !== undefined);
  }

  /**
   * The pack asked for (later directories override earlier ones: a per-user install wins over the bundled pack of
   * the same id), else the site's active pack (falling back to the first valid pack if it has gone), else the first
   * valid pack. Throws not_found naming what was looked for and where.
   */
  async resolve(wanted?: string | null): Promise<Pack> {
    const valid = await this.valid();
    if (wanted) {
      const match = valid.filter((e) => e.manifest.id === wanted).pop();
      if (match) return match;
      const broken = (await this.entries()).find((e) => e.error && e.dir.endsWith(wanted));
      throw new CoreError('not_found', `no valid model pack "${wanted}" in ${this.modelsDirs.join(', ')}${broken ? ` (${broken.error})` : ''}`);
    }
    const active = this.settings.activePackId();
    if (active) {
      const match = valid.filter((e) => e.manifest.id === active).pop();
      if (match) return match;
      console.warn(`[packs] active pack ${active} is no longer installed; using the first pack found`);
    }
    const first = valid[0];
    if (!first) throw new CoreError('not_found', `no model pack in ${this.modelsDirs.join(', ')}: install one with "cxr models install PATH"`);
    return first;
  }

  /** The active pack's id, or null when no pack is installed. */
  async activeId(): Promise<string | null> {
    return this.resolve().then((p) => p.manifest.id, () => null);
  }

  /** A pack by id and version, or null (stored results whose pack has since gone). */
  async find(packId: string, version: string): Promise<Pack | null> {
    return (await this.valid()).filter((e) => e.manifest.id === packId && e.manifest.version === version).pop() ?? null;
  }

  /** Installs into the last models directory (the per-user one) and forgets the listing. */
  async install(source: string, options: { replace?: boolean } = {}): Promise<Pack> {
    const target = this.modelsDirs[this.modelsDirs.length - 1];
    if (!target) throw new CoreError('unsupported', 'no models directory is configured');
    try {
      return await installPack(source, target, options);
    } finally {
      this.listing = null;
    }
  }
}
