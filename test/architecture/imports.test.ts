import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectImports } from './imports.js';

// The layer test is only as good as its import scanner: check it sees every form of import.
describe('collectImports', () => {
  it('finds static, side-effect, dynamic, re-export and require imports, and resolves relative ones', () => {
    const root = mkdtempSync(join(tmpdir(), 'imports-'));
    mkdirSync(join(root, 'main', 'x'), { recursive: true });
    writeFileSync(
      join(root, 'main', 'x', 'a.ts'),
      [
        "import Database from 'better-sqlite3';",
        "import { z } from 'zod';",
        "import type { T } from '../../renderer/thing.js';",
        "import './side-effect.js';",
        "export * from './b.js';",
        "const m = await import('electron');",
        "const r = require('react');",
        "// import { hidden } from 'commented-out';",
      ].join('\n'),
    );
    const specs = collectImports(root, ['main']).map((e) => [e.specifier, e.target]);
    expect(specs).toEqual(
      expect.arrayContaining([
        ['better-sqlite3', null],
        ['zod', null],
        ['../../renderer/thing.js', 'renderer/thing.js'],
        ['./side-effect.js', 'main/x/side-effect.js'],
        ['./b.js', 'main/x/b.js'],
        ['electron', null],
        ['react', null],
      ]),
    );
    expect(specs.map((s) => s[0])).not.toContain('commented-out');
  });
});
