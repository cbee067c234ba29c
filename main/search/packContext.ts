import { CoreError } from '../api/envelope.js';
import type { PackKey, SearchRepository } from '../db/searchRepository.js';
import type { ModelManifest } from '../inference/manifest.js';
import { listPacks } from '../inference/packs.js';

/** What search, priors and cohorts need to know about a pack version. */
export interface PackContext {
  pack: PackKey;
  labels: string[];
  /** Operating threshold per label: site calibration, else the pack's own, else 0.5. */
  thresholds: Record<string, number>;
  /** The pack's manifest when the pack is still installed (null when only its analyses remain). */
  manifest: ModelManifest | null;
}

const DEFAULT_THRESHOLD = 0.5;

/**
 * Resolves which pack version a request is about and what it knows. Manifests are read once per pack version;
 * thresholds are read each time, as a calibration may be run at any moment.
 */
export class PackContextResolver {
  private readonly manifests = new Map<string, Promise<ModelManifest | null>>();

  constructor(
    private readonly repo: SearchRepository,
    private readonly modelsDirs: readonly string[],
  ) {}

  /**
   * The pack version to use: the named pack's newest analysed version, else the pack of the image's newest analysis
   * (for an image), else the pack of the newest analysis in the index. Null when nothing was analysed.
   */
  choose(options: { packId?: string; instanceId?: number }): PackKey | null {
    if (options.instanceId !== undefined) {
      const own = this.repo.latestPackOf(options.instanceId, options.packId);
      if (own) return own;
    }
    return this.repo.newestPack(options.packId);
  }

  async context(pack: PackKey): Promise<PackContext> {
    const manifest = await this.manifest(pack);
    const labels = manifest?.labels ?? this.repo.storedLabels(pack);
    if (!labels) throw new CoreError('not_found', `no analyses by ${pack.packId} ${pack.packVersion} in the index`);
    const calibrated = this.repo.calibratedThresholds(pack);
    const thresholds: Record<string, number> = {};
    for (const label of labels) thresholds[label] = calibrated[label] ?? manifest?.thresholds?.[label] ?? DEFAULT_THRESHOLD;
    return { pack, labels, thresholds, manifest };
  }

  private manifest(pack: PackKey): Promise<ModelManifest | null> {
    const key = `${pack.packId}@${pack.packVersion}`;
    let m = this.manifests.get(key);
    if (!m) {
      m = listPacks(this.modelsDirs)
        .then((entries) => entries.find((e) => e.manifest?.id === pack.packId && e.manifest.version === pack.packVersion)?.manifest ?? null)
        .catch(() => null);
      this.manifests.set(key, m);
    }
    return m;
  }
}
