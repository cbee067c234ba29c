import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startBridge, type Bridge } from '../../main/bridge/index.js';
import { createCore, type Core } from '../../main/createCore.js';
import { projectRoot, sharedDir } from '../helpers/shared.js';

export interface Workstation {
  core: Core;
  bridge: Bridge;
  /** The address a browser opens (token in the fragment). */
  launchUrl: string;
  dataDir: string;
  close(): Promise<void>;
}

/** Where model packs are looked for: the shared tiny/demo packs when present, then the repo's models/. */
export function defaultModelsDirs(): string[] {
  return [join(sharedDir, 'models'), join(projectRoot, 'models')].filter((d) => existsSync(d));
}

/**
 * The real core and the real bridge, in this process, on a fresh temporary data directory, serving the built
 * renderer from dist/renderer — what `npm start` runs, minus the command line.
 */
export async function startWorkstation(
  options: {
    modelsDirs?: string[];
    keepData?: boolean;
    /** Model pack to make active, when the core has one by that id. */
    packId?: string;
    /**
     * Analyse images as they are imported (the site default when a pack is installed). Off unless asked: the specs
     * follow the reader asking for analysis (per image, or all from the worklist); analysis on import itself is tested
     * in test/integration/analysisOnImport.test.ts.
     */
    analyseOnImport?: boolean;
  } = {},
): Promise<Workstation> {
  const staticDir = resolve(projectRoot, 'dist', 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new Error(`${staticDir}/index.html is missing: run "npm run build:renderer" first`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'cxr-e2e-'));
  const core = createCore({ dataDir, modelsDirs: options.modelsDirs ?? defaultModelsDirs() });
  let bridge: Bridge;
  try {
    await core.api['models:setSettings']({ analyseOnImport: options.analyseOnImport ?? false });
    if (options.packId) {
      const packs = await core.api['models:list']({});
      if (packs.packs.some((p) => p.id === options.packId)) await core.api['models:setSettings']({ activePackId: options.packId });
    }
    bridge = await startBridge({ core, staticDir, validateOutputs: true, uploadsDir: join(dataDir, 'uploads') });
  } catch (err) {
    await core.close();
    throw err;
  }
  return {
    core,
    bridge,
    launchUrl: bridge.launchUrl,
    dataDir,
    async close() {
      await bridge.close();
      await core.close();
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
