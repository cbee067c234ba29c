#!/usr/bin/env node
// `npm test`: type-check every layer, run Vitest (unit, integration, renderer components) and the end-to-end suite
// in Chromium, then print one closing line with the totals of both runners.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/** Runs a command with inherited stdin/stderr, echoing stdout and returning it with the exit code. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const totals = { passed: 0, failed: 0, skipped: 0 };
let failedSteps = [];

console.log('\n=== type-check (main + tests, renderer, electron, e2e) ===');
for (const project of ['tsconfig.json', 'tsconfig.renderer.json', 'tsconfig.electron.json', 'test/e2e/tsconfig.json']) {
  const r = await run(npx, ['tsc', '-p', project, '--noEmit']);
  if (r.code !== 0) failedSteps.push(`type-check ${project}`);
}

console.log('\n=== vitest ===');
const json = join(tmpdir(), `cxr-vitest-${process.pid}.json`);
const vitest = await run(npx, ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${json}`]);
try {
  const r = JSON.parse(readFileSync(json, 'utf8'));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  rmSync(json, { force: true });
} catch {
  failedSteps.push('vitest (no results)');
}
if (vitest.code !== 0) failedSteps.push('vitest');

console.log('\n=== end to end (Chromium) ===');
const e2e = await run(npx, ['tsx', 'test/e2e/run.ts']);
const m = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/m.exec(e2e.out);
if (m) {
  totals.passed += Number(m[1]);
  totals.failed += Number(m[2]);
  totals.skipped += Number(m[3] ?? 0);
}
if (e2e.code !== 0) failedSteps.push('end to end');

if (failedSteps.length) console.log(`\nfailed steps: ${failedSteps.join(', ')}`);
if (failedSteps.length && totals.failed === 0) totals.failed = failedSteps.length;
console.log(`\ntotal: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
