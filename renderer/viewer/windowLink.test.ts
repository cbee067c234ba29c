import { describe, expect, it } from 'vitest';
import { fromRelative, toRelative } from './windowLink.js';

describe('window linking between images of different value ranges', () => {
  it('carries a change relative to each image’s own default window', () => {
    const current = { center: 2048, width: 4096 };
    const prior = { center: 128, width: 256 };
    const dragged = { center: 2048 + 1024, width: 2048 };
    const rel = toRelative(dragged, current);
    expect(rel).toEqual({ center: 0.25, width: 0.5 });
    expect(fromRelative(rel, prior)).toEqual({ center: 192, width: 128 });
    expect(fromRelative(toRelative(current, current), prior)).toEqual(prior);
  });

  it('never gives a window narrower than one value', () => {
    expect(fromRelative({ center: 0, width: 0 }, { center: 10, width: 100 }).width).toBe(1);
  });
});
