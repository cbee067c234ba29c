import type { PixelHeader } from '../../main/api/pixelFormat.js';
import type { WindowLevel } from './viewTransform.js';

/**
 * Window presets for projection radiographs. CR/DX values have no physical unit the way CT has Hounsfield units,
 * so fixed numbers would mean nothing across detectors: presets are derived from each image's own window and
 * value histogram instead.
 */
export type WindowPreset = 'default' | 'auto' | 'full' | 'highContrast' | 'lowContrast';
export const WINDOW_PRESETS: WindowPreset[] = ['default', 'auto', 'full', 'highContrast', 'lowContrast'];

export function presetWindow(preset: WindowPreset, header: PixelHeader, stored: Uint16Array): WindowLevel {
  const def = header.window;
  switch (preset) {
    case 'default':
      return { ...def };
    case 'full':
      return { center: (header.min + header.max) / 2, width: Math.max(1, header.max - header.min) };
    case 'highContrast':
      return { center: def.center, width: Math.max(1, def.width * 0.5) };
    case 'lowContrast':
      return { center: def.center, width: def.width * 1.6 };
    case 'auto': {
      const [lo, hi] = percentiles(stored, 0.01, 0.99);
      const a = lo * header.slope + header.intercept;
      const b = hi * header.slope + header.intercept;
      return { center: (a + b) / 2, width: Math.max(1, Math.abs(b - a)) };
    }
  }
}

/** Stored-value percentiles from a 65,536-bin histogram (exact for uint16). */
export function percentiles(stored: Uint16Array, p: number, q: number): [number, number] {
  const hist = new Uint32Array(65536);
  for (let i = 0; i < stored.length; i++) hist[stored[i]!]!++;
  const lo = p * stored.length;
  const hi = q * stored.length;
  let acc = 0;
  let a = 0;
  let b = 65535;
  let foundA = false;
  for (let v = 0; v < 65536; v++) {
    acc += hist[v]!;
    if (!foundA && acc > lo) {
      a = v;
      foundA = true;
    }
    if (acc >= hi) {
      b = v;
      break;
    }
  }
  return [a, b];
}
