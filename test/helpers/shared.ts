import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (this file is test/helpers/shared.ts). */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * `../shared` beside the project root holds model packs and real data. Tests read it in place and skip with a clear
 * message where it is absent (CXR_SHARED overrides the location).
 */
export const sharedDir = process.env.CXR_SHARED ? resolve(process.env.CXR_SHARED) : resolve(projectRoot, '..', 'shared');
export const hasShared = existsSync(join(sharedDir, 'README.md'));
if (!hasShared) {
  console.warn(`[tests] ${sharedDir} not found: tests that need the shared data and model packs are skipped`);
}

export function sharedPath(...parts: string[]): string {
  return join(sharedDir, ...parts);
}
