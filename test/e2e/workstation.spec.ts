import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isOperationName } from '../../main/api/index.js';
import { hasShared, sharedPath } from '../helpers/shared.js';
import { meanAbsDiff, pixelStats } from './pixels.js';
import { assert, skip, test } from './runner.js';
import { c, DX, frames, J2K, NIH, RSNA, shot, studyIdByName, waitDrawn } from './session.js';

test('imports NIH images (folder with labels.csv) and three DICOMs from typed paths, with a progress bar', async () => {
  if (!hasShared) skip('../shared is absent');
  const { page, ws } = c();
  const folder = mkdtempSync(join(tmpdir(), 'cxr-e2e-nih-'));
  for (const f of NIH) copyFileSync(sharedPath('data', 'nih-cxr14', 'images', f), join(folder, f));
  // The NIH label file, cut to the copied images, beside them: the importer picks it up as the sidecar.
  const { readFileSync } = await import('node:fs');
  const lines = readFileSync(sharedPath('data', 'nih-cxr14', 'labels.csv'), 'utf8').split('\n');
  writeFileSync(join(folder, 'labels.csv'), [lines[0], ...lines.filter((l) => NIH.some((f) => l.startsWith(f)))].join('\n') + '\n');

  await page.goto(ws.launchUrl);
  await page.getByRole('button', { name: 'I understand' }).click();
  await page.getByText('No studies match').waitFor();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page
    .getByLabel('Paths on the workstation (one per line)')
    .fill([folder, ...[J2K, DX, RSNA].map((f) => sharedPath('data', 'dicom', 'cxr', f))].join('\n'));
  await page.getByRole('button', { name: 'Start import' }).click();
  await page.getByRole('progressbar', { name: 'Import progress' }).waitFor({ timeout: 10_000 });
  // Every file looked at is counted, labels.csv (skipped: not an image) included, so the line adds up.
  await page.getByTestId('import-status').getByText('Done: 8 files, 0 failed — 7 imported, 0 updated, 1 skipped').waitFor({ timeout: 120_000 });
  await page.getByText('Studies: 7').waitFor({ timeout: 10_000 });
  await shot('01-worklist-after-import');
});

test('worklist: search narrows the list, arrows and Enter open a study', async () => {
  const { page } = c();
  const search = page.getByRole('searchbox', { name: 'Search patients, IDs, descriptions' });
  await search.fill('RG1');
  await page.getByText('Studies: 1').waitFor();
  await search.fill('');
  await page.getByText('Studies: 7').waitFor();
  const grid = page.getByRole('grid');
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const selected = await page.locator('tr[aria-selected="true"]').getAttribute('data-row-index');
  assert(selected === '2', `third row highlighted after two ArrowDown (got ${selected})`);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Worklist' }).waitFor();
  await waitDrawn(page);
  await page.getByRole('button', { name: 'Worklist' }).click();
  await page.getByRole('grid').waitFor();
});

test('opens the 1841×1955 JPEG 2000 CR (MONOCHROME1) and draws it (pixel check on a screenshot)', async () => {
  const { page, ws } = c();
  const { studyId, instanceId } = await studyIdByName(ws, J2K);
  await page.locator(`tr[data-study-id="${studyId}"]`).click();
  await waitDrawn(page, instanceId);
  const renderer = await page.evaluate('window.__cxrViewer.renderer');
  assert(String(renderer).startsWith('webgl2'), `drawn with WebGL2 (got ${String(renderer)})`);
  const stats = await pixelStats(await shot('02-viewer-j2k', 'viewport'));
  console.log(`    viewport ${stats.width}×${stats.height}: mean ${stats.mean.toFixed(1)}, std ${stats.std.toFixed(1)}, non-black ${(stats.nonBlack * 100).toFixed(0)}%`);
  assert(stats.nonBlack > 0.3, 'a good part of the viewport shows the image');
  assert(stats.std > 20, 'the image has contrast (not a flat fill)');
  await shot('03-viewer-j2k-page');
});

test('window/level drag changes the drawn pixels; invert, rotate and reset do too', async () => {
  const { page } = c();
  const viewport = page.getByTestId('viewer-viewport').first();
  const before = await shot('04-wl-before', 'viewport');
  const readout = await page.getByTestId('wl-readout').textContent();
  const box = (await viewport.boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  const framesBefore = await frames(page);
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x - 150, y + 60, { steps: 10 });
  await page.mouse.up();
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  const after = await shot('05-wl-after', 'viewport');
  const diff = await meanAbsDiff(before, after);
  const readoutAfter = await page.getByTestId('wl-readout').textContent();
  console.log(`    ${readout} → ${readoutAfter}; mean |Δ| ${diff.toFixed(1)}; ${(await frames(page)) - framesBefore} frames drawn during the drag`);
  assert(readoutAfter !== readout, 'the window readout changed');
  assert(diff > 5, `the picture changed with the window (mean |Δ| ${diff.toFixed(1)})`);

  await page.getByRole('button', { name: 'Invert' }).click();
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  const inverted = await shot('06-inverted', 'viewport');
  assert((await meanAbsDiff(after, inverted)) > 20, 'invert changes the picture');
  await page.getByRole('button', { name: 'Rotate right' }).click();
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  assert((await meanAbsDiff(inverted, await shot('07-rotated', 'viewport'))) > 5, 'rotation changes the picture');
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  const reset = await shot('08-reset', 'viewport');
  const back = await meanAbsDiff(before, reset);
  assert(back < 1, `reset restores the first picture (mean |Δ| ${back.toFixed(2)})`);
});

test('ruler: mm from pixel spacing where the file has it, and says so where it does not', async () => {
  const { page, ws } = c();
  const measure = async () => {
    await page.getByRole('button', { name: 'Ruler', exact: true }).click();
    const box = (await page.getByTestId('viewer-viewport').first().boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 5 });
    await page.mouse.up();
    return page.getByTestId('ruler-label').last().textContent();
  };
  const j2k = await studyIdByName(ws, J2K);
  const detail = await ws.core.api['instances:get']({ instanceId: j2k.instanceId });
  const text = await measure();
  const spacing = await page.getByTestId('spacing-readout').textContent();
  console.log(`    ${J2K}: ruler "${text}", ${spacing}`);
  if (detail.pixelSpacingMm) assert(/ mm$/.test(text ?? ''), 'ruler in mm when spacing is known');
  else assert(/spacing unknown/.test(text ?? '') && /unknown/.test(spacing ?? ''), 'ruler says spacing is unknown');
  await shot('09-ruler', 'viewport');

  await page.getByRole('button', { name: 'Worklist' }).click();
  const nih = await studyIdByName(ws, NIH[0]!);
  await page.locator(`tr[data-study-id="${nih.studyId}"]`).click();
  await waitDrawn(page, nih.instanceId);
  const nihText = await measure();
  const nihDetail = await ws.core.api['instances:get']({ instanceId: nih.instanceId });
  console.log(`    ${NIH[0]}: ruler "${nihText}"`);
  if (!nihDetail.pixelSpacingMm) assert(/spacing unknown/.test(nihText ?? ''), 'a PNG without spacing gets a pixel ruler that says so');
  await shot('10-nih-ruler', 'viewport');

  // Same 1024² size, same drag: the RSNA CR's PixelSpacing (0.168 mm) turns the same pixel length into mm.
  await page.getByRole('button', { name: 'Worklist' }).click();
  const rsna = await studyIdByName(ws, RSNA);
  await page.locator(`tr[data-study-id="${rsna.studyId}"]`).click();
  await waitDrawn(page, rsna.instanceId);
  const rsnaText = await measure();
  const rsnaDetail = await ws.core.api['instances:get']({ instanceId: rsna.instanceId });
  const px = Number(/^(\d+) px/.exec(nihText ?? '')?.[1]);
  const mm = Number(/^([\d.]+) mm$/.exec(rsnaText ?? '')?.[1]);
  console.log(`    ${RSNA}: ruler "${rsnaText}" (spacing ${JSON.stringify(rsnaDetail.pixelSpacingMm)}; expected ≈ ${(px * 0.168).toFixed(1)} mm)`);
  assert(rsnaDetail.pixelSpacingMm !== null, 'the core reads PixelSpacing of the RSNA file');
  assert(Math.abs(mm - px * rsnaDetail.pixelSpacingMm![1]) < 1.5, `ruler in mm from the spacing (${mm} mm for ${px} px)`);
  await shot('10b-rsna-ruler-mm', 'viewport');
  await page.getByRole('button', { name: 'Worklist' }).click();
  await page.locator(`tr[data-study-id="${nih.studyId}"]`).click();
  await waitDrawn(page, nih.instanceId);
});

test('findings of the AI appear, labelled AI-generated, and a heatmap toggles on the image', async () => {
  const { page } = c();
  if (!isOperationName('analysis:get')) skip('the contract has no analysis operations yet');
  // The NIH image with Cardiomegaly in its reference labels is open (previous test).
  await page.getByText('Reference labels (not AI)').waitFor();
  await page.getByRole('button', { name: 'Analyse' }).click();
  await page.getByTestId('finding-Cardiomegaly').waitFor({ timeout: 60_000 });
  const count = await page.getByTestId(/^finding-/).count();
  assert(count === 14, `14 findings listed (got ${count})`);
  assert(await page.getByText('AI-generated').first().isVisible(), 'labelled AI-generated');
  await page.getByTestId('findings-text').waitFor();
  console.log(`    findings text: ${(await page.getByTestId('findings-text').innerText()).replace(/\s+/g, ' ').slice(0, 160)}`);
  await shot('11-findings');

  const before = await shot('12-heatmap-off', 'viewport');
  const toggle = page.getByRole('switch', { name: 'Heatmap of Cardiomegaly' });
  await toggle.click();
  await page.getByTestId('heatmap-Cardiomegaly').waitFor({ state: 'attached' });
  await page.waitForFunction(
    "[...document.querySelectorAll('[data-testid=heatmap-Cardiomegaly]')].every((el) => el.getBBox().width > 0)",
    undefined,
    { timeout: 10_000 },
  );
  await page.evaluate('new Promise((r) => setTimeout(r, 300))');
  const on = await shot('13-heatmap-on', 'viewport');
  const offStats = await pixelStats(before);
  const onStats = await pixelStats(on);
  console.log(`    colourfulness ${offStats.colourfulness.toFixed(1)} → ${onStats.colourfulness.toFixed(1)}`);
  // One absolute scale for all heatmaps (issue 10): a finding at a few percent draws no hot spot; findingsText.spec.ts
  // checks that a more probable finding shows more heat.
  assert(onStats.colourfulness < offStats.colourfulness + 1, 'an improbable finding’s heatmap stays faint');
  await shot('14-heatmap-page');
  await toggle.click();
  await page.evaluate('new Promise((r) => setTimeout(r, 200))');
  const off = await shot('15-heatmap-off-again', 'viewport');
  assert((await pixelStats(off)).colourfulness < offStats.colourfulness + 1, 'toggling off removes the heatmap');

  // No site calibration yet and the pack ships no thresholds: Cardiomegaly is "not calibrated", never called, and
  // there is nothing to accept (operatingPoints.spec.ts calibrates and accepts a validated finding).
  assert(await page.getByTestId('finding-Cardiomegaly').getByTestId('not-calibrated').isVisible(), 'Cardiomegaly shown as not calibrated');
  assert((await page.getByRole('button', { name: 'Accept Cardiomegaly' }).count()) === 0, 'no Accept button for a label that is not calibrated');
});

test('analyse all from the worklist, most abnormal first; similar cases and the trend panel', async () => {
  const { page, ws } = c();
  if (!isOperationName('similar:find')) skip('the contract has no similar-case search yet');
  // Analyse the rest from the worklist, then check the AI column and "most abnormal first" against the core.
  await page.getByRole('button', { name: 'Worklist' }).click();
  await page.getByRole('button', { name: 'Analyse all with AI' }).click();
  await page.getByText(/^Done: \d+, 0 failed$/).waitFor({ timeout: 120_000 });
  await page.getByRole('combobox', { name: 'Sort' }).click();
  await page.getByRole('option', { name: 'Most abnormal first' }).click();
  await page.waitForTimeout(500);
  const expected = await ws.core.api['studies:list']({ sort: { field: 'abnormality', dir: 'desc' }, offset: 0, limit: 50 });
  const shown = await page.locator('tr[data-study-id]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-study-id'))));
  console.log(`    most abnormal first: ${expected.items.map((s) => `${s.id}:${s.maxProbability?.toFixed(2)}`).join(' ')}`);
  assert(JSON.stringify(shown) === JSON.stringify(expected.items.map((s) => s.id)), `rows in the core's abnormality order (${shown} vs ${expected.items.map((s) => s.id)})`);
  assert(expected.items.every((s) => s.aiStatus === 'done'), 'every study analysed');
  // Each row names its top called finding, or says none is called (reading.spec.ts checks the names).
  const chips = await page.getByTestId('ai-top-finding').count();
  assert(chips === expected.items.length, `an AI chip per row (got ${chips})`);
  await shot('16-worklist-most-abnormal');
  const nih = await studyIdByName(ws, NIH[0]!);
  await page.locator(`tr[data-study-id="${nih.studyId}"]`).click();
  await waitDrawn(page, nih.instanceId);

  await page.getByRole('tab', { name: 'Similar' }).click();
  await page.getByRole('button', { name: 'Find similar cases' }).click();
  await page.getByTestId('similar-case').first().waitFor({ timeout: 30_000 });
  const n = await page.getByTestId('similar-case').count();
  console.log(`    ${n} similar cases listed`);
  assert(n >= 3, `the other analysed images of other patients are listed (got ${n})`);
  await shot('17-similar');
  await page.getByRole('tab', { name: 'Trend' }).click();
  await page.getByText('No earlier study of this patient.').waitFor();
});

test('report draft is visible, with the AI-derived sections marked', async () => {
  if (!isOperationName('reports:draft')) skip('the contract has no report operations yet');
  const { page } = c();
  await page.getByRole('tab', { name: 'Report' }).click();
  await page.getByRole('button', { name: 'Draft report' }).click();
  await page.getByTestId('report-draft').waitFor({ timeout: 30_000 });
  const text = await page.getByTestId('report-draft').innerText();
  console.log(`    draft: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
  assert(text.length > 40, 'the draft has text');
  await shot('18-report-draft');
  await page.getByRole('tab', { name: 'Findings' }).click();
});

test('the UI switches to French', async () => {
  const { page } = c();
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('combobox', { name: 'Language' }).click();
  await page.getByRole('option', { name: 'Français' }).click();
  await page.getByRole('button', { name: 'Fermer' }).click();
  await page.getByRole('button', { name: 'Liste de travail' }).first().waitFor();
  await shot('19-french');
  await page.getByRole('button', { name: 'Paramètres' }).click();
  await page.getByRole('combobox', { name: 'Langue' }).click();
  await page.getByRole('option', { name: 'English' }).click();
  await page.getByRole('button', { name: 'Close' }).click();
});
