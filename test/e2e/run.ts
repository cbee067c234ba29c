/**
 * `npm run test:e2e`: builds the renderer (unless E2E_SKIP_BUILD=1), starts the real core and bridge on a temporary
 * data directory, drives Debian Chromium through the workstation, saves screenshots to test/e2e/screenshots, and
 * prints `N passed, N failed`. Exits non-zero when a test failed.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hasShared, projectRoot } from '../helpers/shared.js';
import { isCi } from '../helpers/systemTools.js';
import { chromiumPath, hasChromium } from './browser.js';
import { runAll } from './runner.js';
import { setUp, tearDown } from './session.js';

const here = dirname(fileURLToPath(import.meta.url));

async function main(): Promise<number> {
  if (!hasChromium()) {
    // A newcomer's machine with Node alone: say what to install. Under CI (.ci/run installs it) this is a failure.
    console.log(`Chromium not found at ${chromiumPath} (Debian package chromium: apt-get install chromium, or set CHROMIUM_PATH)`);
    if (isCi) {
      console.log('0 passed, 1 failed');
      return 1;
    }
    console.log('the end-to-end suite is skipped');
    console.log('0 passed, 0 failed, 1 skipped');
    return 0;
  }
  if (!hasShared) console.log('../shared is absent: the tests that import its images are skipped');
  if (process.env.E2E_SKIP_BUILD !== '1') {
    execFileSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: projectRoot, stdio: 'inherit' });
  }
  const screenshots = join(projectRoot, 'test', 'e2e', 'screenshots');
  let summary;
  // workstation.spec.ts first (it imports the studies), then every other spec in name order.
  const specs = readdirSync(here).filter((f) => f.endsWith('.spec.ts') && f !== 'workstation.spec.ts').sort();
  for (const spec of ['workstation.spec.ts', ...specs]) await import(pathToFileURL(join(here, spec)).href);
  try {
    await setUp(screenshots);
    // Each test continues from the state the previous one left (one reading session): stop after a failure.
    summary = await runAll({ stopAfterFailure: true });
  } finally {
    await tearDown();
  }
  console.log(`\nscreenshots in ${screenshots}`);
  console.log(`${summary.passed} passed, ${summary.failed} failed${summary.skipped ? `, ${summary.skipped} skipped` : ''}`);
  return summary.failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
