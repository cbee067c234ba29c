import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface ImportEdge {
  /** File path relative to the project root, with forward slashes. */
  from: string;
  /** The specifier as written. */
  specifier: string;
  /** For relative specifiers, the target relative to the project root; null for packages. */
  target: string | null;
}

const SPECIFIER = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(=])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Every import/export/require specifier of the .ts/.tsx files under `dirs`, skipping comments crudely. */
export function collectImports(root: string, dirs: string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const visit = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && !e.name.startsWith('.')) visit(full);
      } else if (/\.(ts|tsx|mts)$/.test(e.name) && !e.name.endsWith('.d.ts')) {
        const text = readFileSync(full, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
        const from = relative(root, full).split('\\').join('/');
        for (const m of text.matchAll(SPECIFIER)) {
          const specifier = (m[1] ?? m[2] ?? m[3] ?? m[4])!;
          const target = specifier.startsWith('.') ? relative(root, resolve(dirname(full), specifier)).split('\\').join('/') : null;
          edges.push({ from, specifier, target });
        }
      }
    }
  };
  for (const d of dirs) visit(join(root, d));
  return edges;
}
