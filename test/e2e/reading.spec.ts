/**
 * The reading workflow (issue 12), end to end in Chromium, continuing the session workstation.spec.ts started (its
 * seven studies imported and analysed). Each test says which point of the issue it covers; screenshots are named
 * `r<NN>-...` in test/e2e/screenshots.
 */
import type { Page } from 'playwright-core';
import { hasShared, sharedPath } from '../helpers/shared.js';
import { assert, skip, test } from './runner.js';
import { c, DX, J2K, RSNA, shot } from './session.js';

/** A fresh page on the worklist, as a reader opening the workstation. */
async function openWorklist(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('tr[data-study-id]').first().waitFor({ timeout: 30_000 });
}

async function openImportPanel(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Import', exact: true });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.getByLabel('Paths on the workstation (one per line)').waitFor();
}

// 1. Jobs never hang.
test('jobs: an import of a mistyped path ends at once, says why, and Start works again', async () => {
  if (!hasShared) skip('../shared is absent');
  const { page, ws } = c();
  await openWorklist(page, ws.launchUrl);
  await openImportPanel(page);
  const typo = '/data/nih-cxr14/imagse';
  await page.getByLabel('Paths on the workstation (one per line)').fill(typo);
  await page.getByRole('button', { name: 'Start import' }).click();
  await page.getByTestId('import-status').getByText(/^Done: 1 files, 1 failed/).waitFor({ timeout: 15_000 });
  await page.getByTestId('import-failures').getByText('no such file or folder').waitFor();
  await page.getByTestId('import-failures').getByText(typo).waitFor();
  assert(await page.getByRole('button', { name: 'Start import' }).isEnabled(), 'Start import is enabled again');
  assert((await page.getByRole('button', { name: 'Cancel' }).count()) === 0, 'no Cancel button for an ended job');
  await shot('r01-import-mistyped-path');
});

test('jobs: re-importing indexed files ends at once as "skipped", with matching counts', async () => {
  const { page } = c();
  await page.getByLabel('Paths on the workstation (one per line)').fill([J2K, DX, RSNA].map((f) => sharedPath('data', 'dicom', 'cxr', f)).join('\n'));
  await page.getByRole('button', { name: 'Start import' }).click();
  const status = page.getByTestId('import-status');
  await status.getByText('Done: 3 files, 0 failed — 0 imported, 0 updated, 3 skipped').waitFor({ timeout: 15_000 });
  await shot('r02-import-reimport-skipped');
});

test('jobs: a calibration with a mistyped labels file ends with the reason, and Calibrate works again', async () => {
  const { page } = c();
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Labels file for calibration').fill('/data/nih-cxr14/lables.csv');
  await page.getByRole('button', { name: 'Calibrate' }).click();
  const status = page.getByTestId('calibration-status');
  await status.getByText(/^Failed after 0/).waitFor({ timeout: 15_000 });
  const text = await status.innerText();
  console.log(`    calibration: ${text.replace(/\s+/g, ' ')}`);
  assert(/lables\.csv/.test(text), 'the reason names the file');
  assert(await page.getByRole('button', { name: 'Calibrate' }).isEnabled(), 'Calibrate is enabled again');
  await shot('r03-calibration-mistyped-file');
  await page.getByRole('button', { name: 'Close' }).click();
});
