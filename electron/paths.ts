import { join } from 'node:path';

export interface AppPaths {
  dataDir: string;
  modelsDirs: string[];
  /** The built renderer (Vite output). */
  rendererDir: string;
}

/** The parts of Electron's `app` the paths depend on (a parameter so they are tested without Electron). */
export interface AppLike {
  isPackaged: boolean;
  getAppPath(): string;
  getPath(name: 'userData'): string;
}

/**
 * Where the app keeps its data and finds model packs. Data: Electron's userData (CXR_DATA_DIR overrides it, as for
 * `npm start`). Models: the packs shipped with the app (unpacked from the asar, because onnxruntime opens them by
 * path), then the user's own folder.
 */
export function resolveAppPaths(app: AppLike, env: Record<string, string | undefined> = process.env): AppPaths {
  const appPath = app.getAppPath();
  const dataDir = env.CXR_DATA_DIR || app.getPath('userData');
  const shippedModels = app.isPackaged ? join(appPath.replace(/app\.asar$/, 'app.asar.unpacked'), 'models') : join(appPath, 'models');
  return {
    dataDir,
    modelsDirs: [shippedModels, join(dataDir, 'models')],
    rendererDir: join(appPath, 'dist', 'renderer'),
  };
}
