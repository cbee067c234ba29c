import type { HotRegion, Localisation } from './localize.js';

/**
 * Localisations built from facts, for tests of the place rules and the text: one confident region by default
 * (right lower zone, inside the lung field, lateral), with any fact overridden.
 */
export function region(over: Partial<HotRegion> = {}): HotRegion {
  return {
    box: { x: 100, y: 700, w: 200, h: 150 },
    peak: { x: 200, y: 780 },
    share: 1,
    side: 'right',
    zone: 'lower',
    lateral: true,
    inLungField: true,
    ...over,
  };
}

export function localisation(regions: HotRegion[] = [region()], over: Partial<NonNullable<Localisation['facts']>> = {}, extent = 0.08): Localisation {
  return {
    boxes: regions.map((r) => r.box),
    peak: regions[0]?.peak ?? { x: 0, y: 0 },
    extent,
    facts: {
      version: 2,
      lungField: 'image',
      peakCell: { row: 5, col: 1, rows: 7, cols: 7 },
      peakOnBorder: false,
      peakInLungField: true,
      regions,
      ...over,
    },
  };
}
