import { createRequire } from 'node:module';
import type * as Usearch from 'usearch';

/**
 * usearch (Unum) ships prebuilt N-API binaries with SIMD kernels for brute-force scans and an HNSW index. It is
 * loaded lazily and optionally: where the binary is missing (an unusual platform, a stripped package) search still
 * works through the plain TypeScript loop, only slower, and `nativeUnavailableReason` says why.
 */
export type UsearchModule = typeof Usearch;

let loaded: UsearchModule | null | undefined;
let reason: string | null = null;

export function loadUsearch(): UsearchModule | null {
  if (loaded !== undefined) return loaded;
  try {
    const require = createRequire(import.meta.url);
    loaded = require('usearch') as UsearchModule;
  } catch (err) {
    loaded = null;
    reason = `usearch could not be loaded: ${err instanceof Error ? err.message : String(err)}`;
  }
  return loaded;
}

/** Why the native kernel is not in use, or null when it is. */
export function nativeUnavailableReason(): string | null {
  loadUsearch();
  return reason;
}
