import { CoreError } from '../api/envelope.js';
import type { PackKey, SearchRepository } from '../db/searchRepository.js';
import type { OperatingPoints } from '../findings/operatingPoints.js';
import type { ModelManifest } from '../inference/manifest.js';
import type { PackRegistry } from '../inference/packRegistry.js';

/** What search, priors and cohorts need to know about a pack version. */
export interface PackContext {
  pack: PackKey;
  labels: string[];
  /**
   * Threshold per label that has a validated operating point (see OperatingPoints); a label missing here is not
   * calibrated and is never called: not in a cohort's or a similar-case filter's "called", not "new" in priors.
   */
  thresholds: Record<string, number>;
  /** The pack's manifest when the pack is still installed (null when only its analyses remain). */
  manifest: ModelManifest | null;
}

/** Resolves which pack version a request is about and what it knows, from the pack registry and the operating points. */
export class PackContextResolver {
  constructor(
    private readonly repo: SearchRepository,
    private readonly packs: PackRegistry,
    private readonly operatingPoints: OperatingPoints,
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
    const manifest = (await this.packs.find(pack.packId, pack.packVersion))?.manifest ?? null;
    const labels = manifest?.labels ?? this.repo.storedLabels(pack);
    if (!labels) throw new CoreError('not_found', `no analyses by ${pack.packId} ${pack.packVersion} in the index`);
    const points = await this.operatingPoints.inForce(pack.packId, pack.packVersion, labels);
    return { pack, labels, thresholds: points.thresholds, manifest };
  }
}
