import { afterAll, describe, expect, it } from 'vitest';
import { hasShared, sharedPath } from '../../test/helpers/shared.js';
import { decodePixels } from '../api/pixelFormat.js';
import { DEFAULT_IMPORT_LIMITS } from '../importer/importLimits.js';
import { DecodedImages } from './decodedImages.js';
import { ImageReader } from './imageReader.js';
import { loadImage } from './loadImage.js';

describe.skipIf(!hasShared)('the shared decoded-image cache', () => {
  const reader = new ImageReader(() => DEFAULT_IMPORT_LIMITS, 1);
  afterAll(() => reader.close());
  const png = { filePath: sharedPath('data', 'nih-cxr14', 'images', '00014995_000.png'), format: 'png' as const, contentHash: 'a' };
  const dcm = {
    filePath: sharedPath('data', 'dicom', 'cxr', 'nema_wg04_RG1_J2KI_CR_chest_MONO1_1841x1955.dcm'),
    format: 'dicom' as const,
    contentHash: 'b',
  };

  it('decodes an image once for the viewer and analysis, whoever asks first, and for requests made meanwhile', async () => {
    const images = new DecodedImages(reader);
    const [a, b] = await Promise.all([images.image(png), images.image(png)]);
    expect(a).toBe(b);
    expect(images.stats).toEqual({ decoded: 1, reused: 1 });
    // Decoded in the worker exactly as on this thread.
    const here = await loadImage(png.filePath, 'png');
    expect(a.frame.width).toBe(1024);
    expect(Buffer.compare(Buffer.from(a.frame.data.buffer), Buffer.from(here.frame.data.buffer.slice(here.frame.data.byteOffset, here.frame.data.byteOffset + here.frame.data.byteLength)))).toBe(0);
    // The viewer encodes what is kept instead of decoding again.
    const pixels = await images.viewerPixels(1, png, null);
    expect(decodePixels(pixels).header).toMatchObject({ width: 1024, height: 1024 });
    expect(images.stats.decoded).toBe(1);

    // The viewer first (a JPEG 2000 CR): analysis then finds the decoded frame.
    await images.viewerPixels(2, dcm, { rowMm: 0.15, colMm: 0.15, source: 'PixelSpacing' });
    const j2k = await images.image(dcm);
    expect([j2k.frame.width, j2k.frame.height, j2k.display.photometric]).toEqual([1841, 1955, 'MONOCHROME1']);
    expect(images.stats.decoded).toBe(2);

    // A changed file (another content hash) is never served from the old pixels.
    await images.image({ ...png, contentHash: 'c' });
    expect(images.stats.decoded).toBe(3);
  }, 60_000);

  it('keeps within its byte budget, least recently used first', async () => {
    const images = new DecodedImages(reader, 1.5 * 1024 * 1024); // one 1024² 8-bit frame
    await images.image(png);
    await images.image({ ...png, contentHash: 'other' });
    await images.image(png);
    expect(images.stats.decoded).toBe(3);
  }, 60_000);

  it('names the file and the limit when a read is refused', async () => {
    const strict = new ImageReader(() => ({ ...DEFAULT_IMPORT_LIMITS, maxDeclaredPixels: 1000 }), 1);
    try {
      await expect(new DecodedImages(strict).image(png)).rejects.toThrow(/00014995_000\.png.*maxDeclaredPixels = 1000/);
    } finally {
      await strict.close();
    }
  }, 60_000);
});
