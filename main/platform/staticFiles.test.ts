import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readStaticFile } from './staticFiles.js';

describe('readStaticFile (the bridge and the Electron protocol serve the renderer through it)', () => {
  const base = mkdtempSync(join(tmpdir(), 'cxr-static-'));
  const dir = join(base, 'renderer');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'app.js.map'), '{"sources":["../../main/secret.ts"]}');
  writeFileSync(join(base, 'outside.txt'), 'patient data');
  symlinkSync(join(base, 'outside.txt'), join(dir, 'assets', 'link.txt'));
  symlinkSync(base, join(dir, 'up'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('serves the built files and answers index.html for routes', async () => {
    expect((await readStaticFile(dir, '/assets/app.js'))?.contentType).toMatch(/javascript/);
    expect((await readStaticFile(dir, '/worklist'))?.body.toString()).toBe('<!doctype html>');
  });

  it('never follows a symbolic link out of the folder, nor climbs, nor serves source maps', async () => {
    expect(await readStaticFile(dir, '/assets/link.txt')).toBeNull();
    expect(await readStaticFile(dir, '/up/outside.txt')).toBeNull();
    expect(await readStaticFile(dir, '/../outside.txt')).toBeNull();
    expect(await readStaticFile(dir, '/assets/%2e%2e/%2e%2e/outside.txt')).toBeNull();
    expect(await readStaticFile(dir, '/assets/app.js.map')).toBeNull();
  });
});
