import { describe, expect, it } from 'vitest';
import { precisionAtK, relevant } from './retrievalQuality.js';

describe('precisionAtK', () => {
  const s = (...l: string[]) => new Set(l);

  it('counts shared positive labels and normal-with-normal as relevant', () => {
    expect(relevant(s('Effusion', 'Mass'), s('Mass'))).toBe(true);
    expect(relevant(s(), s())).toBe(true);
    expect(relevant(s(), s('Mass'))).toBe(false);
    expect(relevant(s('Effusion'), s('Mass'))).toBe(false);
  });

  it('computes precision@k and the exact random baseline', () => {
    const labels = [s('A'), s('A'), s(), s('B')];
    // Image 0's neighbours: 1 (relevant), 2, 3; image 2's: 0, 1, 3 (none relevant); ...
    const neighbours = [
      [1, 2, 3],
      [0, 3, 2],
      [0, 1, 3],
      [2, 1, 0],
    ];
    const r = precisionAtK(labels, neighbours, 2);
    expect(r.precision).toBeCloseTo((0.5 + 0.5 + 0 + 0) / 4, 10);
    // Relevant others: image 0 → 1 of 3, image 1 → 1 of 3, image 2 → 0, image 3 → 0.
    expect(r.randomBaseline).toBeCloseTo((1 / 3 + 1 / 3) / 4, 10);
    expect(r.queries).toBe(4);
  });
});
