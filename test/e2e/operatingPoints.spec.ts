/**
 * What the core decides, seen by a reader: a withheld image shows one line and an explicit, audited override; labels
 * are "not calibrated" until a site calibration validates them; the settings page shows each label's evidence and
 * the refusals; a validated label can then be called and accepted.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForJob } from '../../main/api/waitForJob.js';
import { isOperationName } from '../../main/api/index.js';
import { sharedPath } from '../helpers/shared.js';
import { assert, skip, test } from './runner.js';
import { c, shot, studyIdByName, waitDrawn } from './session.js';

test('a CT slice imported with a chest study is withheld: one line, no findings, and an explicit override (audited)', async () => {
  if (!isOperationName('analysis:overrideGate')) skip('the contract has no gate override');
  const { page, ws } = c();
  const dir = mkdtempSync(join(tmpdir(), 'cxr-e2e-ct-'));
  copyFileSync(sharedPath('data', 'dicom', 'conformance', 'cornerstoneWADOImageLoader', 'CTImage.dcm'), join(dir, 'ct-chest-slice.dcm'));
  await waitForJob(ws.core, (await ws.core.api['import:start']({ paths: [dir] })).id);
  const ct = await studyIdByName(ws, 'ct-chest-slice.dcm');
  await waitForJob(ws.core, (await ws.core.api['analysis:start']({ instanceIds: [ct.instanceId], force: false })).id);
  await page.getByRole('button', { name: 'Worklist' }).click();
  await page.locator(`tr[data-study-id="${ct.studyId}"]`).click();
  await waitDrawn(page, ct.instanceId);
  await page.getByRole('tab', { name: 'Findings' }).click();
  const withheld = page.getByTestId('findings-withheld');
  await withheld.waitFor({ timeout: 30_000 });
  console.log(`    withheld: ${(await withheld.innerText()).replace(/\s+/g, ' ')}`);
  assert((await page.getByTestId(/^finding-/).count()) === 0, 'no finding listed for a withheld image');
  assert((await page.getByRole('switch', { name: /^Heatmap of/ }).count()) === 0, 'no heatmap switch');
  await shot('op-01-withheld');

  await withheld.getByRole('button', { name: 'Show findings anyway…' }).click();
  await page.getByLabel('Reason').fill('e2e: checking the override path on a CT slice');
  await page.getByRole('dialog').getByRole('button', { name: 'Show findings anyway…' }).click();
  await page.getByTestId('findings-overridden').waitFor({ timeout: 30_000 });
  assert((await page.getByTestId(/^finding-/).count()) === 14, 'the override shows the findings');
  await shot('op-02-overridden');
  const audit = await ws.core.api['audit:list']({ action: 'override_gate', offset: 0, limit: 10 } as never);
  assert(audit.items.some((e) => e.entityId === String(ct.instanceId) && (e.detail as { reason?: string }).reason === 'e2e: checking the override path on a CT slice'), 'the override is in the audit log with its reason');
});

test('calibration: settings show positives, AUC, sensitivity and specificity with intervals, and the refusals; a validated label is called', async () => {
  if (!isOperationName('operatingPoints:get')) skip('the contract has no operating points');
  const { page, ws } = c();
  // All 200 NIH rows, without the split column. The 120 `training` rows trained the packs: these AUCs are optimistic,
  // which is fine for exercising the path, not for a site's real calibration.
  const rows = readFileSync(sharedPath('data', 'nih-cxr14', 'labels.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  const splitCol = rows[0]!.indexOf('split');
  const csv = join(mkdtempSync(join(tmpdir(), 'cxr-e2e-cal-')), 'all-200.csv');
  writeFileSync(csv, rows.map((r) => r.filter((_, i) => i !== splitCol).join(',')).join('\n'));
  const job = await ws.core.api['calibration:run']({ labelsCsv: csv, imagesDir: sharedPath('data', 'nih-cxr14', 'images'), split: 'calibration', method: 'youden' });
  const done = await waitForJob(ws.core, job.id);
  assert(done.state === 'done', `calibration ran (${done.message})`);
  console.log(`    ${done.message}`);
  const points = await ws.core.api['operatingPoints:get']({});
  const validated = points.labels.filter((l) => l.operatingPoint.status === 'validated').map((l) => l.label);
  const refused = points.labels.filter((l) => l.operatingPoint.status !== 'validated').map((l) => l.label);
  assert(validated.length > 0 && refused.length > 0, `some labels validated (${validated}), some refused (${refused})`);

  await page.getByRole('button', { name: 'Settings' }).click();
  const table = page.getByTestId('operating-points');
  await table.waitFor();
  const text = await table.innerText();
  console.log(`    settings table: ${text.split('\n').slice(0, 3).join(' | ')}`);
  assert(/validated/.test(text) && /refused: /.test(text), 'the table says which labels are validated and which refused, and why');
  assert(/\d\.\d\d \[\d\.\d\d–\d\.\d\d\]/.test(text), 'AUC, sensitivity and specificity with their intervals');
  await shot('op-03-settings-operating-points');
  await page.keyboard.press('Escape');

  // A chest image now: the validated label can be called and accepted; the refused ones still cannot.
  const nih = await studyIdByName(ws, '00014995_000.png');
  await page.getByRole('button', { name: 'Worklist' }).click();
  await page.locator(`tr[data-study-id="${nih.studyId}"]`).click();
  await waitDrawn(page, nih.instanceId);
  await page.getByRole('tab', { name: 'Findings' }).click();
  const label = validated[0]!;
  const item = page.getByTestId(`finding-${label}`);
  await item.waitFor({ timeout: 30_000 });
  assert((await item.getByTestId('threshold-mark').count()) === 1, `${label} has its validated threshold mark`);
  assert((await item.getByTestId('not-calibrated').count()) === 0, `${label} is calibrated`);
  assert((await page.getByTestId(`finding-${refused[0]}`).getByTestId('not-calibrated').count()) === 1, `${refused[0]} stays not calibrated`);
  await item.getByRole('button', { name: new RegExp(`^Accept `) }).click();
  await item.getByText('Accepted by the reader').waitFor();
  await shot('op-04-validated-finding');
});
