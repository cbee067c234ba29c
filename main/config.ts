import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CoreConfig {
  /** Where the index, thumbnails, heatmaps and exports live (one folder a site can back up). */
  dataDir: string;
  /** Folders searched for model packs, in order (the repo's models/ first, then the per-user folder). */
  modelsDirs: string[];
  /**
   * How long a job's lease lasts without its owner's heartbeat (main/core/jobLeases.ts): after that another process
   * may take a job whose owner hung. $CXR_JOB_LEASE_SECONDS sets it; by default one minute.
   */
  jobLeaseMs?: number;
}

/** The project root: the nearest folder above this module holding package.json (works from main/ and dist/main/). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the project root (package.json) above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

/**
 * Where things live unless told otherwise: the data folder ($CXR_DATA_DIR, else ~/.cxr-workstation) holds the
 * index, thumbnails, heatmaps and exports; model packs come from the install's models/ and then the data folder's
 * models/ (packs a site installs).
 */
export function defaultConfig(overrides: { dataDir?: string; modelsDirs?: string[] } = {}): CoreConfig {
  const dataDir = resolve(overrides.dataDir ?? process.env.CXR_DATA_DIR ?? join(homedir(), '.cxr-workstation'));
  const modelsDirs = overrides.modelsDirs ?? [join(projectRoot(), 'models'), join(dataDir, 'models')];
  const leaseSeconds = Number(process.env.CXR_JOB_LEASE_SECONDS);
  return { dataDir, modelsDirs, ...(leaseSeconds > 0 ? { jobLeaseMs: leaseSeconds * 1000 } : {}) };
}
