import { CoreError } from '../api/envelope.js';
import type { CoreContext } from '../core/context.js';
import { AnalysisRepository } from '../db/analysisRepository.js';
import { AiSettings, resolvePack } from './aiSettings.js';
import { Analyzer } from './analyzer.js';
import type { ModelManifest } from './manifest.js';
import { listPacks } from './packs.js';
import { resolveThresholds, type LabelThreshold } from '../findings/thresholds.js';

export type Pack = { dir: string; manifest: ModelManifest };

/**
 * State shared by the model and analysis services: the site's AI settings and one open Analyzer (a worker thread
 * with its onnxruntime session) for the pack and provider in use, reopened when either changes.
 */
export class AnalysisRuntime {
  readonly settings: AiSettings;
  readonly repo: AnalysisRepository;
  private open: { key: string; analyzer: Promise<Analyzer> } | null = null;

  constructor(readonly ctx: CoreContext) {
    this.settings = new AiSettings(ctx.db);
    this.repo = new AnalysisRepository(ctx.db);
  }

  /** The pack asked for, else the active one (falling back to the first valid pack if it has gone). */
  async pack(packId?: string): Promise<Pack> {
    if (packId) return resolvePack(this.ctx.config.modelsDirs, packId);
    const active = this.settings.activePackId();
    if (active) {
      try {
        return await resolvePack(this.ctx.config.modelsDirs, active);
      } catch {
        console.warn(`[analysis] active pack ${active} is no longer installed; using the first pack found`);
      }
    }
    return resolvePack(this.ctx.config.modelsDirs, null);
  }

  /** Looks a pack up by id and version without throwing (thresholds of stored results whose pack may be gone). */
  async packIfInstalled(packId: string, version: string): Promise<Pack | null> {
    const all = await listPacks(this.ctx.config.modelsDirs);
    const hit = all.filter((e) => e.manifest?.id === packId && e.manifest.version === version).pop();
    return hit?.manifest ? { dir: hit.dir, manifest: hit.manifest } : null;
  }

  async analyzer(pack: Pack): Promise<Analyzer> {
    const provider = this.settings.provider();
    const key = `${pack.dir}|${pack.manifest.sha256}|${provider}`;
    if (this.open?.key === key) return this.open.analyzer;
    const previous = this.open;
    const analyzer = Analyzer.open(pack, { provider });
    this.open = { key, analyzer };
    analyzer.catch(() => {
      if (this.open?.analyzer === analyzer) this.open = null;
    });
    if (previous) void previous.analyzer.then((a) => a.close(), () => undefined);
    try {
      return await analyzer;
    } catch (err) {
      throw new CoreError('model_error', `cannot load model pack ${pack.manifest.id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Thresholds in force for a pack version: the newest site calibration, else the pack's, else the default. */
  thresholds(labels: readonly string[], packId: string, version: string, manifest: ModelManifest | null): { thresholds: Record<string, LabelThreshold>; calibrationId: number | null } {
    const cal = this.repo.latestCalibration(packId, version);
    const calibrated: Record<string, number | null> = {};
    if (cal) for (const l of cal.labels as { label: string; threshold: number | null }[]) calibrated[l.label] = l.threshold;
    return { thresholds: resolveThresholds(labels, manifest?.thresholds, cal ? calibrated : undefined), calibrationId: cal?.id ?? null };
  }

  async dispose(): Promise<void> {
    const open = this.open;
    this.open = null;
    if (open) await open.analyzer.then((a) => a.close(), () => undefined);
  }
}

/** One runtime per core (both services get the same), keyed by context. */
const runtimes = new WeakMap<CoreContext, AnalysisRuntime>();
export function analysisRuntime(ctx: CoreContext): AnalysisRuntime {
  let rt = runtimes.get(ctx);
  if (!rt) runtimes.set(ctx, (rt = new AnalysisRuntime(ctx)));
  return rt;
}
