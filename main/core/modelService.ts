import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoreError } from '../api/envelope.js';
import type { ModelPack } from '../api/models.js';
import type { CoreContext, Service } from './context.js';
import { analysisRuntime } from '../inference/analysisRuntime.js';
import { offeredProviders } from '../inference/inferenceEngine.js';
import { packGeometry, type ModelManifest } from '../inference/manifest.js';
import { installPack, listPacks, verifyPack } from '../inference/packs.js';

async function toModelPack(dir: string, m: ModelManifest, activeId: string | null): Promise<ModelPack> {
  const g = packGeometry(m);
  const card = m.card ? await readFile(join(dir, m.card), 'utf8').catch(() => null) : null;
  return {
    id: m.id,
    version: m.version,
    title: m.title,
    dir,
    intendedUse: m.intendedUse,
    labels: m.labels,
    input: { width: g.width, height: g.height, channels: g.channels },
    embeddingDim: g.embeddingDim,
    hasCam: g.camGrid !== null,
    packThresholds: m.thresholds ?? {},
    card,
    active: m.id === activeId,
  };
}

/** Model packs: list, verify, install into the per-user folder, and the site's choice of pack and provider. */
export function createModelService(ctx: CoreContext): Service {
  const rt = analysisRuntime(ctx);
  const dirs = ctx.config.modelsDirs;
  return {
    async 'models:list'() {
      const all = await listPacks(dirs);
      let activeId: string | null = null;
      try {
        activeId = (await rt.pack()).manifest.id;
      } catch {
        activeId = null;
      }
      const packs = await Promise.all(all.filter((e) => e.manifest).map((e) => toModelPack(e.dir, e.manifest!, activeId)));
      return {
        packs,
        broken: all.filter((e) => e.error).map((e) => ({ dir: e.dir, error: e.error! })),
        activePackId: activeId,
        provider: rt.settings.provider(),
        offeredProviders: offeredProviders(),
        modelsDirs: [...dirs],
      };
    },

    async 'models:verify'({ id }) {
      const all = await listPacks(dirs);
      const chosen = id ? all.filter((e) => e.manifest?.id === id || (!e.manifest && e.dir.endsWith(id))) : all;
      if (id && !chosen.length) throw new CoreError('not_found', `no model pack "${id}" in ${dirs.join(', ')}`);
      return Promise.all(chosen.map((e) => verifyPack(e.dir)));
    },

    async 'models:install'({ path, replace }) {
      const target = dirs[dirs.length - 1];
      if (!target) throw new CoreError('unsupported', 'no models directory is configured');
      try {
        const { dir, manifest } = await installPack(path, target, { replace });
        return toModelPack(dir, manifest, rt.settings.activePackId());
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        throw new CoreError(message.includes('already installed') ? 'conflict' : 'bad_file', message);
      }
    },

    async 'models:setSettings'({ activePackId, provider }) {
      if (activePackId) {
        await rt.pack(activePackId); // refuses an id that is not installed
        rt.settings.setActivePackId(activePackId);
      }
      if (provider) rt.settings.setProvider(provider);
      return { activePackId: rt.settings.activePackId(), provider: rt.settings.provider() };
    },
  };
}
