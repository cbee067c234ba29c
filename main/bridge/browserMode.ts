import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createCore, type Core } from '../createCore.js';
import { startBridge, type Bridge } from './startBridge.js';

export interface BrowserModeOptions {
  dataDir: string;
  modelsDirs: string[];
  /** The built renderer; when it has no index.html the API still runs and `rendererMissing` says so. */
  rendererDir: string;
  port?: number;
  /** Extra page origins allowed to call the bridge (a Vite dev server proxying to it). */
  allowedOrigins?: string[];
}

export interface BrowserMode {
  core: Core;
  bridge: Bridge;
  rendererMissing: boolean;
  /** What to print for the person who started it. */
  banner: string;
  /** Closes the bridge, then the core (jobs cancelled, database closed). */
  close(): Promise<void>;
}

/**
 * The workstation without Electron: the core plus the bridge, serving the built renderer to a local browser.
 * Used by `npm start` where the Electron binary is not available.
 */
export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserMode> {
  const core = createCore({ dataDir: options.dataDir, modelsDirs: options.modelsDirs });
  let bridge: Bridge;
  try {
    bridge = await startBridge({
      core,
      port: options.port,
      staticDir: options.rendererDir,
      allowedOrigins: options.allowedOrigins,
      uploadsDir: join(options.dataDir, 'uploads'),
    });
  } catch (err) {
    await core.close();
    throw err;
  }
  const rendererMissing = !existsSync(join(options.rendererDir, 'index.html'));
  const lines = [
    'Electron is not available on this machine; the workstation is served at',
    '',
    `    ${bridge.launchUrl}`,
    '',
    '— open it in a browser on this computer (it answers on 127.0.0.1 only; the token in the address is new at each start).',
    `Data folder: ${options.dataDir}`,
    `Model folders: ${options.modelsDirs.join(', ')}`,
  ];
  if (rendererMissing) {
    lines.push('', `The user interface is not built (no ${join(options.rendererDir, 'index.html')}): run "npm run build:renderer" and reload.`);
  }
  lines.push('', 'Press Ctrl+C to stop.');
  return {
    core,
    bridge,
    rendererMissing,
    banner: lines.join('\n'),
    async close() {
      await bridge.close();
      await core.close();
    },
  };
}
