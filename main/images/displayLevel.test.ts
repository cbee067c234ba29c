import { describe, expect, it } from 'vitest';
import { displayLevelFactor, MAX_DISPLAY_PIXELS, reduceBox } from './displayLevel.js';

describe('display level', () => {
  it('sends every radiograph we know whole, and reduces a huge image to within the limits', () => {
    expect(displayLevelFactor(1024, 1024)).toBe(1);
    expect(displayLevelFactor(4300, 4300)).toBe(1); // 43 cm CR at 0.1 mm
    expect(displayLevelFactor(4096, 5120)).toBe(1); // mammogram
    expect(displayLevelFactor(16000, 16000)).toBe(4); // 512 MB of uint16 whole; 4000² (32 MB) as a level
    expect(displayLevelFactor(6000, 6000)).toBe(2);
    expect(displayLevelFactor(9000, 1000)).toBe(2); // too wide for a texture
    const f = displayLevelFactor(20000, 15000);
    expect(Math.ceil(20000 / f) * Math.ceil(15000 / f)).toBeLessThanOrEqual(MAX_DISPLAY_PIXELS);
  });

  it('averages whole blocks, and the partial blocks at the right and bottom edges over the pixels they have', () => {
    // 5×3, factor 2 → 3×2.
    const v = Float32Array.from([1, 3, 5, 7, 9, 1, 3, 5, 7, 9, 10, 20, 30, 40, 50]);
    const r = reduceBox(v, 5, 3, 2);
    expect([r.width, r.height]).toEqual([3, 2]);
    expect([...r.values]).toEqual([2, 6, 9, 15, 35, 50]);
    expect(reduceBox(v, 5, 3, 1).values).toBe(v);
  });
});
