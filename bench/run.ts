/**
 * `npm run bench`: runs every benchmark in bench/ in turn (each prints its figures and its ratio against a
 * baseline), then repeats the summary lines. Pass names to run only some: `npm run bench -- import worklist`.
 * Extra flags after `--` go to every benchmark (e.g. `--quick`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ALL = ['import', 'hostileImport', 'worklist', 'inference', 'gate', 'search', 'viewer', 'findingsText', 'camLocalisation', 'dicomReceive'];
const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('-'));
const flags = args.filter((a) => a.startsWith('-'));
const selected = names.length ? names : ALL;
const summary: string[] = [];
for (const name of selected) {
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  if (!existsSync(file)) {
    summary.push(`${name}: no such benchmark`);
    continue;
  }
  console.log(`\n=== bench/${name}.ts ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...flags], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(r.stdout ?? '');
  const lines = (r.stdout ?? '').trim().split('\n');
  summary.push(r.status === 0 ? lines[lines.length - 1] ?? `${name}: (no output)` : `${name}: FAILED (exit ${r.status})`);
}
console.log('\n=== summary ===');
for (const s of summary) console.log(s);
