import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoreError } from '../api/envelope.js';
import type { ModelPack } from '../api/models.js';
import type { AiSettings } from '../inference/aiSettings.js';
import type { AnalyzerHost } from '../inference/analyzerHost.js';
import { offeredProviders } from '../inference/inferenceEngine.js';
import { packGeometry, type ModelManifest } from '../inference/manifest.js';
import type { PackRegistry } from '../inference/packRegistry.js';
import { verifyPack } from '../inference/packs.js';
import type { Service } from './service.js';

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
export function createModelService(deps: { packs: PackRegistry; aiSettings: AiSettings; analyzers: Pick<AnalyzerHost, 'providerReport'> }): Service {
  const { packs, aiSettings, analyzers } = deps;
  // The site's choice, else on exactly when a pack is installed (main/inference/importAnalysis.ts decides the same way).
  const analyseOnImport = async () => aiSettings.analyseOnImport() ?? (await packs.activeId()) !== null;
  return {
    async 'models:list'() {
      const all = await packs.entries();
      const activeId = await packs.activeId();
      const valid = await packs.valid();
      return {
        packs: await Promise.all(valid.map((e) => toModelPack(e.dir, e.manifest, activeId))),
        broken: all.flatMap((e) => (e.error ? [{ dir: e.dir, error: e.error }] : [])),
        activePackId: activeId,
        provider: aiSettings.provider(),
        analyseOnImport: await analyseOnImport(),
        offeredProviders: offeredProviders(),
        providers: analyzers.providerReport(),
        modelsDirs: [...packs.modelsDirs],
      };
    },

    async 'models:verify'({ id }) {
      const all = await packs.entries();
      const chosen = id ? all.filter((e) => e.manifest?.id === id || (!e.manifest && e.dir.endsWith(id))) : all;
      if (id && !chosen.length) throw new CoreError('not_found', `no model pack "${id}" in ${packs.modelsDirs.join(', ')}`);
      return Promise.all(chosen.map((e) => verifyPack(e.dir)));
    },

    async 'models:install'({ path, replace }) {
      try {
        const { dir, manifest } = await packs.install(path, { replace });
        return toModelPack(dir, manifest, aiSettings.activePackId());
      } catch (err) {
        if (err instanceof CoreError) throw err;
        const message = err instanceof Error ? err.message : String(err);
        throw new CoreError(message.includes('already installed') ? 'conflict' : 'bad_file', message);
      }
    },

    async 'models:setSettings'({ activePackId, provider, analyseOnImport: onImport }) {
      if (activePackId) {
        await packs.resolve(activePackId); // refuses an id that is not installed
        aiSettings.setActivePackId(activePackId);
      }
      if (provider) aiSettings.setProvider(provider);
      if (onImport !== undefined) aiSettings.setAnalyseOnImport(onImport);
      return { activePackId: aiSettings.activePackId(), provider: aiSettings.provider(), analyseOnImport: await analyseOnImport() };
    },
  };
}
