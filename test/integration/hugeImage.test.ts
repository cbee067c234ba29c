import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePixels } from '../../main/api/pixelFormat.js';
import { resourcePaths } from '../../main/api/resources.js';
import { MAX_DISPLAY_PIXELS } from '../../main/images/displayLevel.js';
import { tempCore, type TempCore } from '../helpers/tempCore.js';

/**
 * Robustness issue 4: opening a huge image froze the whole bridge (the pixel route decoded on the event loop; a
 * 16000² image blocked every call for 5.7 s and answered 800 MB). The same 16000² (256 Mpx, 8-bit grey: just within
 * the default decode limits), generated here: before the fix a `studies:list` made while it decoded waited seconds
 * for the decode, and the route answered all 256 Mpx.
 */
const SIDE = 16000;

describe('opening a huge image', () => {
  let t: TempCore;
  let dir: string;
  let instanceId: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-huge-'));
    mkdirSync(join(dir, 'in'));
    // A chest-like ramp with texture, so the encoder and the decoder both have real work.
    const raw = Buffer.alloc(SIDE * SIDE);
    for (let y = 0; y < SIDE; y++) for (let x = 0; x < SIDE; x++) raw[y * SIDE + x] = ((x >> 3) + (y >> 4) + ((x * y) & 31)) & 255;
    await sharp(raw, { raw: { width: SIDE, height: SIDE, channels: 1 } }).toColourspace('b-w').png({ compressionLevel: 1 }).toFile(join(dir, 'in', 'huge.png'));
    t = tempCore();
    // A site that scans this large raises its decode limit (the default refuses this PNG, which sharp decodes with
    // room for 16-bit RGBA); the pixel route reads under the same site limits as the import.
    await t.call('import:setLimits', { maxDecodedBytes: 2048 * 1024 * 1024 });
    const job = await t.call('import:start', { paths: [join(dir, 'in')], analyse: false });
    expect((await t.wait(job.id)).state).toBe('done');
    instanceId = t.db().sqlite.prepare('SELECT id FROM instances').pluck().get() as number;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the API answering within 200 ms while it decodes, and serves a display-resolution level', async () => {
    let done = false;
    const pixels = t.core.resource(resourcePaths.pixels(instanceId)).finally(() => (done = true));
    // A client asking every 20 ms: each answer is timed from when it asked, so time the core's event loop spent
    // blocked before it could even take the call counts (as it does for a WebSocket client of the bridge).
    const latencies: number[] = [];
    let asked = performance.now();
    while (!done) {
      asked += 20;
      await new Promise((r) => setTimeout(r, Math.max(0, asked - performance.now())));
      await t.call('studies:list', { sort: { field: 'date', dir: 'desc' }, offset: 0, limit: 50 });
      latencies.push(performance.now() - asked);
      asked = Math.max(asked, performance.now());
    }
    const resource = await pixels;
    // The calls were made while the image was being decoded, and none waited for it.
    expect(latencies.length).toBeGreaterThan(2);
    expect(Math.max(...latencies)).toBeLessThan(200);

    const { header, stored } = decodePixels(resource!.body);
    expect(header.width * header.height).toBeLessThanOrEqual(MAX_DISPLAY_PIXELS);
    expect(header.source).toEqual({ width: SIDE, height: SIDE });
    expect(stored.length).toBe(header.width * header.height);
    expect(resource!.body.length).toBeLessThan(SIDE * SIDE);
    // The level is the image, reduced: the ramp runs the same way.
    expect(stored[header.width - 1]!).not.toBe(stored[0]);
  }, 120_000);
});
