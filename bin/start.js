#!/usr/bin/env node
// `npm start` (after `npm run build`): the Electron app where the Electron binary exists, otherwise the same core
// behind the local bridge, for a browser on this computer.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const usage = `Usage: npm start -- [--port N] [--data-dir DIR] [--browser]

  --port N        port for browser mode on 127.0.0.1 (default: a free one)
  --data-dir DIR  where the index, thumbnails and exports live
                  (default: $CXR_DATA_DIR, else ~/.cxr-workstation; the Electron app uses its userData folder)
  --browser       serve to a browser even where Electron is available
  --allow-origin URL
                  browser mode: also accept calls from this page origin, e.g. a Vite dev server
                  (http://localhost:5173) that proxies /api, /files and /ws to the bridge; may be repeated`;

let args;
try {
  args = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      browser: { type: 'boolean', default: false },
      'allow-origin': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (err) {
  console.error(`start: ${err.message}\n\n${usage}`);
  process.exit(2);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}
let port;
if (args.port !== undefined) {
  port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`start: --port must be a whole number from 0 to 65535, not "${args.port}"`);
    process.exit(2);
  }
}
const dataDirOverride = args['data-dir'] ? resolve(args['data-dir']) : process.env.CXR_DATA_DIR || undefined;

/** The Electron executable, or null where the package is installed without its binary (postinstall not run). */
function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const electron = args.browser ? null : electronBinary();
if (electron) {
  if (!existsSync(join(root, 'dist', 'electron', 'main.js'))) {
    console.error('start: dist/electron/main.js is missing; run "npm run build" first.');
    process.exit(1);
  }
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  if (dataDirOverride) env.CXR_DATA_DIR = dataDirOverride;
  const child = spawn(electron, [root], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  const bridgeEntry = join(root, 'dist', 'main', 'bridge', 'index.js');
  if (!existsSync(bridgeEntry)) {
    console.error('start: the core is not built (dist/main is missing); run "npm run build" first.');
    process.exit(1);
  }
  const { startBrowserMode } = await import(new URL('../dist/main/bridge/index.js', import.meta.url).href);
  // The same defaults as the `cxr` CLI, so both see one data folder and the packs installed into it.
  const { defaultConfig } = await import(new URL('../dist/main/config.js', import.meta.url).href);
  const config = defaultConfig({ dataDir: dataDirOverride });
  let mode;
  try {
    mode = await startBrowserMode({
      dataDir: config.dataDir,
      modelsDirs: config.modelsDirs,
      rendererDir: join(root, 'dist', 'renderer'),
      port,
      allowedOrigins: args['allow-origin'],
    });
  } catch (err) {
    console.error(`start: the workstation could not start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  console.log(mode.banner);
  // The DICOM receiver (C-STORE from X-ray units and PACSs) runs with the workstation where the site enabled it.
  const receiver = await mode.core.api['network:receiverStart']({ onlyIfEnabled: true });
  if (receiver.state === 'listening') console.log(`DICOM receiver: AE title ${receiver.aeTitle}, listening on ${receiver.bind}:${receiver.port}`);
  else if (receiver.state === 'failed') console.error(`DICOM receiver could not start: ${receiver.error}`);
  else console.log('DICOM receiver: off (enable it in Settings, or with: npx cxr dicom config --enable)');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping: cancelling running jobs and closing the index…');
    try {
      await mode.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
