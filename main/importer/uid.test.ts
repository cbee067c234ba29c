import { describe, expect, it } from 'vitest';
import { uidFromSeed } from './uid.js';

describe('uidFromSeed', () => {
  it('gives a valid, stable DICOM UID under 2.25 that differs per seed', () => {
    const a = uidFromSeed('study:1');
    expect(a).toMatch(/^2\.25\.[1-9]\d*$/);
    expect(a.length).toBeLessThanOrEqual(64);
    expect(uidFromSeed('study:1')).toBe(a);
    expect(uidFromSeed('study:2')).not.toBe(a);
  });
});
