import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/shared.js';

/**
 * The layer rules (.dependency-cruiser.cjs) run by dependency-cruiser over every layer, .cts and .mts included:
 * a break fails `npm test`. The second test shows each rule catching the break it exists for, in a scratch tree.
 */
interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

function cruise(cwd: string, roots: string[]): { violations: Violation[]; modules: number } {
  const bin = join(projectRoot, 'node_modules', '.bin', process.platform === 'win32' ? 'depcruise.cmd' : 'depcruise');
  let out: string;
  try {
    out = execFileSync(bin, [...roots, '--config', join(projectRoot, '.dependency-cruiser.cjs'), '--output-type', 'json'], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    // depcruise exits non-zero when it finds violations; its JSON is still on stdout.
    out = (err as { stdout?: string }).stdout ?? '';
    if (!out) throw err;
  }
  const result = JSON.parse(out) as { summary: { violations: Violation[]; totalCruised: number } };
  return { violations: result.summary.violations, modules: result.summary.totalCruised };
}

const show = (vs: Violation[]) => vs.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);

describe('layer rules (dependency-cruiser)', () => {
  it('hold over main/, renderer/, electron/, bin/ and test/', () => {
    const { violations, modules } = cruise(projectRoot, ['main', 'renderer', 'electron', 'bin', 'test']);
    expect(modules).toBeGreaterThan(300);
    expect(show(violations)).toEqual([]);
  });

  const scratch = mkdtempSync(join(tmpdir(), 'cxr-layers-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('catch each kind of break, in .ts, .tsx and .cts files', () => {
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', jsx: 'react-jsx', strict: true } }),
      'package.json': JSON.stringify({ type: 'module' }),
      'main/api/contract.ts': "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
      'main/core/service.ts': 'export const s = 1;\n',
      'main/db/repo.ts': "import { f } from '../findings/rules.js';\nimport Database from 'better-sqlite3';\nexport const r = [f, Database];\n",
      'main/findings/rules.ts': "import { s } from '../core/service.js';\nexport const f = s;\n",
      'main/findings/sql.ts': "import Database from 'better-sqlite3';\nexport const d = Database;\n",
      'main/platform/bus.ts': "import { r } from '../db/repo.js';\nexport const b = r;\n",
      'main/bridge/server.ts': 'export const server = 1;\n',
      'main/view.ts': "import React from 'react';\nexport const v = React;\n",
      'renderer/App.tsx': "import { s } from '../main/core/service.js';\nimport { join } from 'node:path';\nexport const a = [s, join];\n",
      'electron/preload.cts': "import { server } from '../main/bridge/server.js';\nexport const p = server;\n",
      'electron/missing.ts': "import { nothing } from './nowhere.js';\nexport const m = nothing;\n",
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(scratch, name)), { recursive: true });
      writeFileSync(join(scratch, name), text);
    }
    symlinkSync(join(projectRoot, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    const names = new Set(cruise(scratch, ['main', 'renderer', 'electron']).violations.map((v) => `${v.rule.name} ${v.from}`));
    expect([...names].sort()).toEqual(
      [
        'api-only-zod main/api/contract.ts',
        'db-never-domains main/db/repo.ts',
        'domains-never-services main/findings/rules.ts',
        'electron-never-bridge electron/preload.cts',
        'main-never-ui main/view.ts',
        'platform-is-the-bottom main/platform/bus.ts',
        'renderer-never-node renderer/App.tsx',
        'renderer-only-contract renderer/App.tsx',
        'resolvable electron/missing.ts',
        'only-db-imports-sqlite main/findings/sql.ts',
      ].sort(),
    );
  });
});
