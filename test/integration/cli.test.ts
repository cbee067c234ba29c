import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/main.js';
import { openDatabase } from '../../main/db/connection.js';
import { IndexRepository } from '../../main/db/indexRepository.js';
import { makeImageRecord } from '../../main/db/testFixtures.js';
import { hasShared, sharedPath } from '../helpers/shared.js';

async function cxr(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('cxr CLI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cxr-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints usage, and refuses unknown commands and options with exit code 2', async () => {
    const help = await cxr('--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/cxr import PATH/);
    expect((await cxr('frobnicate')).code).toBe(2);
    expect((await cxr('--data-dir', dataDir, 'list', '--bogus')).err).toMatch(/unknown option --bogus/);
  });

  it('prints what came from a file as text, never as terminal escape sequences or bidi overrides', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cxr-cli-esc-'));
    const db = openDatabase(join(dir, 'index.sqlite'));
    new IndexRepository(db).upsertImage(
      makeImageRecord(1, { patient: { patientId: 'P1', name: 'Evil\u001b]0;pwned\u0007\u001b[2J\u202eNAME' }, study: { description: 'CHEST\u0000\u009b31m' } }),
    );
    db.close();
    const list = await cxr('--data-dir', dir, 'list');
    expect(list.code).toBe(0);
    expect(list.out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(list.out).toContain('Evil\\x1b]0;pwned\\x07');
    const show = await cxr('--data-dir', dir, 'show', '1');
    expect(show.out).not.toMatch(/[\u001b\u0000\u009b\u202e]/);
    expect(show.out).toContain('\\u202eNAME');
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!hasShared)('imports, lists and shows studies, and reports unreadable files by path', async () => {
    const dicoms = sharedPath('data', 'dicom', 'cxr');
    const missing = join(dataDir, 'no-such-folder');
    const imp = await cxr('--data-dir', dataDir, 'import', dicoms, missing);
    expect(imp.code).toBe(0);
    expect(imp.out).toMatch(/imported 4, updated 0, skipped 2, failed 1/);
    expect(imp.out).toContain(`${missing}: no such file or folder`);
    expect(imp.out).toContain('SOURCE.txt: not an image (.txt file)');

    const list = await cxr('--data-dir', dataDir, 'list', '--modality', 'CR');
    expect(list.out).toMatch(/CompressedSamples, RG1/);
    expect(list.out).toMatch(/1–3 of 3 studies/);

    const id = /^(\d+)\s+9RG1/m.exec(list.out)?.[1];
    expect(id).toBeDefined();
    const show = await cxr('--data-dir', dataDir, 'show', id!);
    expect(show.out).toMatch(/1841×1955 .*MONOCHROME1/);
    expect(show.out).toMatch(/1\.2\.840\.10008\.1\.2\.4\.91/);

    const report = await cxr('--data-dir', dataDir, 'import', '--report');
    expect(report.out).toMatch(/imported 4/);
    const again = await cxr('--data-dir', dataDir, 'import', dicoms);
    expect(again.out).toMatch(/imported 0, updated 0, skipped 6, failed 0/);
  });

  it("shows and changes the site's import limits, and refuses a limit that is not a positive number", async () => {
    expect((await cxr('--data-dir', dataDir, 'import', '--limits')).out).toMatch(/maxFileBytes\s+256 MiB/);
    const changed = await cxr('--data-dir', dataDir, 'import', '--limits', '--max-file-mb', '512', '--max-file-seconds', '90');
    expect(changed.out).toMatch(/maxFileBytes\s+512 MiB/);
    expect((await cxr('--data-dir', dataDir, 'import', '--limits')).out).toMatch(/maxFileSeconds\s+90 s/);
    const bad = await cxr('--data-dir', dataDir, 'import', '--max-zip-ratio', 'lots', dataDir);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--max-zip-ratio needs a positive number, not "lots"/);
  });

  it('fails cleanly on an unknown study', async () => {
    const r = await cxr('--data-dir', dataDir, 'show', '99999');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not_found/);
  });
});
