import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
if (!python) console.warn('[tests] python3 not found: the export scripts are not syntax-checked');

/**
 * PyTorch is not installable on the build machine (no PyPI access), so the scripts cannot be run here; this checks
 * at least that every script compiles.
 */
describe.skipIf(!python)('model export scripts', () => {
  it('compile with python3 -m py_compile', () => {
    const scripts = readdirSync(here).filter((f) => f.endsWith('.py'));
    expect(scripts.sort()).toEqual(['cxr_pack.py', 'export_chexnet.py', 'export_torchxrayvision.py']);
    const cache = mkdtempSync(join(tmpdir(), 'cxr-pyc-'));
    try {
      for (const s of scripts) {
        const r = spawnSync(python!, ['-c', `import py_compile,sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)`, join(here, s), join(cache, `${s}c`)], {
          encoding: 'utf8',
        });
        expect(r.status, `${s}: ${r.stderr}`).toBe(0);
      }
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
