import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { downsampleGray8, thumbnailPng } from './thumbnail.js';

describe('downsampleGray8', () => {
  it('averages the four quarter-point samples of each footprint (exact block means for a 2x reduction)', () => {
    // 4x2 image, halved to 2x1: means of the 2x2 blocks.
    const src = Uint8Array.from([0, 10, 100, 200, 20, 30, 50, 250]);
    const out = downsampleGray8(src, 4, 2, 2);
    expect(out).toMatchObject({ width: 2, height: 1 });
    expect([...out.data]).toEqual([15, 150]);
  });

  it('keeps a smooth gradient smooth (no aliasing steps) on a 4x reduction', () => {
    const w = 1024;
    const src = new Uint8Array(w * w);
    for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) src[y * w + x] = x >> 2;
    const out = downsampleGray8(src, w, w, 256);
    for (let x = 1; x < 256; x++) expect(out.data[x]! - out.data[x - 1]!).toBe(1);
  });

  it('keeps the aspect ratio and handles non-integer factors, preserving the mean', () => {
    const w = 1841;
    const h = 1955;
    const src = new Uint8Array(w * h);
    for (let i = 0; i < src.length; i++) src[i] = (i * 7919) % 256;
    const out = downsampleGray8(src, w, h, 256);
    expect(out.height).toBe(256);
    expect(out.width).toBe(Math.round(w / (h / 256)));
    const mean = (a: Uint8Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(mean(out.data) - mean(src))).toBeLessThan(2);
  });

  it('leaves small images alone', () => {
    const src = new Uint8Array(100 * 50);
    expect(downsampleGray8(src, 100, 50, 256).data).toBe(src);
  });
});

describe('thumbnailPng', () => {
  it('writes a PNG whose longer side is the requested size', async () => {
    const png = await thumbnailPng(new Uint8Array(1024 * 512).fill(128), 1024, 512, 256);
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 256, 128]);
  });
});

describe('encodeGray8Png', () => {
  it('writes a PNG that an independent decoder reads back pixel for pixel', async () => {
    const { encodeGray8Png } = await import('./pngWriter.js');
    const w = 37;
    const h = 23;
    const gray = new Uint8Array(w * h);
    for (let i = 0; i < gray.length; i++) gray[i] = (i * 53 + (i % w) * 11) & 255;
    const { data, info } = await sharp(encodeGray8Png(gray, w, h)).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([w, h, 1]);
    expect(Buffer.compare(data, Buffer.from(gray))).toBe(0);
  });
});
