/**
 * The reading workflow (issue 12), end to end in Chromium, continuing the session workstation.spec.ts started (its
 * seven studies imported and analysed). Each test says which point of the issue it covers; screenshots are named
 * `r<NN>-...` in test/e2e/screenshots.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { readDataSet } from '../../main/dicom/readDataSet.js';
import { hasShared, sharedPath } from '../helpers/shared.js';
import { meanAbsDiff, pixelStats } from './pixels.js';
import { assert, skip, test } from './runner.js';
import { c, DX, J2K, RSNA, shot, studyIdByName, waitDrawn } from './session.js';

/** A fresh page on the worklist, as a reader opening the workstation. */
async function openWorklist(page: Page, url: string): Promise<void> {
  // From wherever the previous spec left the page: a full load (going to the same address with only a new #token
  // would not reload it).
  await page.goto('about:blank');
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

/** One patient, three studies years apart (two priors for the newest), as NIH-named PNGs with a labels.csv. */
const TESS = { id: '00099999', name: 'Trend^Tess', dates: ['2019-03-01', '2019-04-01', '2024-02-10'] };
const TESS_SOURCES = ['00007219_000.png', '00014477_000.png', '00019001_000.png'];

function priorsFixture(): string {
  const folder = mkdtempSync(join(tmpdir(), 'cxr-e2e-priors-'));
  const rows = ['image,patient_id,patient_name,age,sex,view,finding_labels,study_date,modality'];
  TESS_SOURCES.forEach((src, i) => {
    const name = `${TESS.id}_00${i}.png`;
    copyFileSync(sharedPath('data', 'nih-cxr14', 'images', src), join(folder, name));
    rows.push(`${name},${TESS.id},${TESS.name},${60 + i},F,PA,No Finding,${TESS.dates[i]},CR`);
  });
  writeFileSync(join(folder, 'labels.csv'), rows.join('\n') + '\n');
  return folder;
}

async function redraw(page: Page): Promise<void> {
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
}

/** The label of the finding that has keyboard focus. */
async function focusedFinding(page: Page): Promise<string | null> {
  return (await page.evaluate("document.activeElement?.getAttribute('data-finding-label') ?? null")) as string | null;
}

/** The image drawn in the (first) viewport, as its data-drawn key `instance-<id>`. */
async function drawnInstance(page: Page): Promise<string | null> {
  return page.getByTestId('viewer-canvas').first().getAttribute('data-drawn');
}

// 4. A worklist that triages.
test('worklist: part of an ID finds the patient; after analysis rows name their top called finding, in triage order', async () => {
  if (!hasShared) skip('../shared is absent');
  const { page, ws } = c();
  await openImportPanel(page);
  await page.getByLabel('Paths on the workstation (one per line)').fill(priorsFixture());
  await page.getByRole('button', { name: 'Start import' }).click();
  await page.getByTestId('import-status').getByText(/^Done: \d+ files, 0 failed — 3 imported/).waitFor({ timeout: 60_000 });
  // Whatever its status: out of the unread-only view.
  const priority = page.getByRole('button', { name: 'Unread by priority' });
  if ((await priority.getAttribute('aria-pressed')) === 'true') await priority.click();
  const search = page.getByRole('searchbox', { name: 'Search patients, IDs, descriptions' });
  await search.fill('99999');
  await page.getByTestId('worklist-count').getByText('Studies: 3 (showing 1–3)').waitFor();
  const ids = await page.locator('tr[data-study-id] td:nth-child(3)').allInnerTexts();
  assert(ids.every((id) => id === TESS.id), `"99999" finds patient ${TESS.id} (got ${ids.join(', ')})`);
  await shot('r04-worklist-partial-id');
  await search.fill('');

  // A site calibration on the labelled NIH set (the tiny pack's shipped thresholds call nothing on these images), run
  // from Settings as a reader would: it also shows a calibration job ending well. Later specs see these thresholds.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Labels file for calibration').fill(sharedPath('data', 'nih-cxr14', 'labels.csv'));
  await page.getByRole('button', { name: 'Calibrate' }).click();
  await page.getByTestId('calibration-status').getByText(/^Done: /).waitFor({ timeout: 180_000 });
  console.log(`    ${(await page.getByTestId('calibration-status').innerText()).replace(/\s+/g, ' ')}`);
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Analyse all with AI' }).click();
  await page.getByTestId('analysis-status').getByText(/^Done: \d+, 0 failed$/).waitFor({ timeout: 120_000 });
  await page.getByRole('combobox', { name: 'Sort' }).click();
  await page.getByRole('option', { name: 'Triage: called findings first' }).click();
  const expected = await ws.core.api['studies:list']({ sort: { field: 'triage', dir: 'desc' }, offset: 0, limit: 50 });
  const order = () => page.locator('tr[data-study-id]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-study-id'))));
  const want = JSON.stringify(expected.items.map((s) => s.id));
  await page.waitForFunction(
    `() => JSON.stringify([...document.querySelectorAll('tr[data-study-id]')].map((r) => Number(r.getAttribute('data-study-id')))) === ${JSON.stringify(want)}`,
    undefined,
    { timeout: 10_000 },
  );
  const chips = await page.getByTestId('ai-top-finding').allInnerTexts();
  console.log(`    triage: ${expected.items.map((s, i) => `${s.id} ${s.triageScore?.toFixed(2)} "${chips[i]}"`).join(' | ')}`);
  assert(chips.every((c) => !/AI max/.test(c)), 'no row says "AI max"');
  expected.items.forEach((s, i) => {
    const want = s.topFinding ? s.topFinding.replace(/_/g, ' ').toLowerCase() : 'no finding called';
    assert(chips[i]!.toLowerCase().startsWith(want), `row ${s.id} names ${want} (got "${chips[i]}")`);
  });
  await page.waitForFunction("() => [...document.querySelectorAll('tr[data-study-id] img')].some((i) => i.complete && i.naturalWidth > 0)", undefined, { timeout: 10_000 });
  await page.getByRole('button', { name: 'Unread by priority' }).click();
  const statuses = await page.locator('tr[data-study-id] td:last-child').allInnerTexts();
  assert(statuses.length > 0 && statuses.every((s) => s === 'Unread'), `the priority view lists unread studies (got ${statuses.join(', ')})`);
  assert(JSON.stringify(await order()) === JSON.stringify(expected.items.filter((s) => s.status === 'unread').map((s) => s.id)), 'in triage order');
  await shot('r05-worklist-triage-priority');
});

// 2. Keyboard-first reading.
test('keyboard: open from the list, presets, invert, zoom/fit, rotate, reset, next/previous study, Esc back', async () => {
  const { page } = c();
  await page.getByRole('grid').focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Worklist' }).waitFor();
  await page.locator('[data-testid="viewer-canvas"][data-drawn]').first().waitFor({ timeout: 30_000 });
  await redraw(page);
  const first = await drawnInstance(page);
  const pane = page.getByTestId('viewer-viewport').first();
  const before = await shot('r06-keys-before', 'viewport');
  await page.keyboard.press('i');
  await redraw(page);
  assert((await page.getByRole('button', { name: 'Invert' }).getAttribute('aria-pressed')) === 'true', 'i inverts');
  assert((await meanAbsDiff(before, await shot('r06-keys-inverted', 'viewport'))) > 20, 'the inverted picture differs');
  await page.keyboard.press('+');
  await pane.getByText('Zoom 125 %').waitFor();
  await page.keyboard.press('f');
  await pane.getByText('Zoom 100 %').waitFor();
  await page.keyboard.press('2');
  await pane.getByTestId('preset-readout').getByText('Window: auto (1–99 %)').waitFor();
  await page.keyboard.press('r');
  await redraw(page);
  await page.keyboard.press('0');
  await pane.getByTestId('preset-readout').getByText('Window: default (from file)').waitFor();
  await redraw(page);
  const reset = await shot('r06-keys-reset', 'viewport');
  assert((await meanAbsDiff(before, reset)) < 1, '0 resets the view exactly');

  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(`() => [null, ${JSON.stringify(first)}].indexOf(document.querySelector('[data-testid="viewer-canvas"]')?.getAttribute('data-drawn') ?? null) < 0`, undefined, { timeout: 30_000 });
  const second = await drawnInstance(page);
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(`() => document.querySelector('[data-testid="viewer-canvas"]')?.getAttribute('data-drawn') === ${JSON.stringify(first)}`, undefined, { timeout: 30_000 });
  console.log(`    ↓ ${first} → ${second}, ↑ back to ${first}`);

  await page.keyboard.press('?');
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await sheet.waitFor();
  await sheet.getByText('Accept the focused finding').waitFor();
  await shot('r07-shortcut-sheet');
  await page.keyboard.press('Escape');
  await sheet.waitFor({ state: 'detached' });
  assert(await page.getByRole('button', { name: 'Worklist' }).isVisible(), 'Esc closes the sheet only');
});

test('keyboard: j/k walk the findings with a visible focus, y/x accept and reject, Space hides every AI overlay', async () => {
  const { page } = c();
  await page.getByTestId(/^finding-/).first().waitFor({ timeout: 30_000 });
  // The shortcut sheet closed just before gives focus back where it was once its exit transition ends: let it.
  await page.waitForTimeout(400);
  await page.keyboard.press('j');
  await page.waitForFunction("() => !!document.activeElement?.getAttribute('data-finding-label')");
  const firstLabel = await focusedFinding(page);
  const outlined = await page
    .waitForFunction("() => getComputedStyle(document.activeElement).outlineStyle !== 'none'", undefined, { timeout: 3000 })
    .then(() => true, () => false);
  const outline = (await page.evaluate('getComputedStyle(document.activeElement).outlineStyle + " " + document.activeElement.matches(":focus-visible")')) as string;
  assert(outlined, `the focused finding is outlined (outline-style, focus-visible: ${outline})`);
  await page.keyboard.press('y');
  await page.getByTestId(`finding-${firstLabel}`).getByText('Accepted by the reader').waitFor();
  await shot('r08-keys-finding-focus');
  // x on the same finding: the reader changes their mind (only findings called at a validated operating point take
  // decisions; the calibration above validated few labels, so the decisions stay on the first, called one).
  await page.keyboard.press('x');
  await page.getByTestId(`finding-${firstLabel}`).getByText('Rejected by the reader').waitFor();
  await page.keyboard.press('y');
  await page.getByTestId(`finding-${firstLabel}`).getByText('Accepted by the reader').waitFor();
  // A decision keeps the reader's place: the focus stays on the finding decided.
  await page.waitForFunction(`() => document.activeElement?.getAttribute('data-finding-label') === ${JSON.stringify(firstLabel)}`, undefined, { timeout: 5000 });
  await page.keyboard.press('j');
  // The label is read at the moment the focus is on another finding (the same check and read, in one step).
  const secondLabel = (await (
    await page
      .waitForFunction(`() => { const l = document.activeElement?.getAttribute('data-finding-label'); return l && l !== ${JSON.stringify(firstLabel)} ? l : null; }`, undefined, { timeout: 5000 })
      .catch(async (err: Error) => {
        const where = (await page.evaluate("document.activeElement ? document.activeElement.tagName + ' ' + (document.activeElement.getAttribute('data-testid') ?? '') + ' ' + (document.activeElement.getAttribute('aria-label') ?? '') : 'none'")) as string;
        throw new Error(`j did not move the focus to the next finding (focus is on: ${where}): ${err.message}`);
      })
  ).jsonValue()) as string;
  assert(secondLabel !== firstLabel, 'j moves to the next finding');
  await page.keyboard.press('k');
  await page.waitForFunction(`() => document.activeElement?.getAttribute('data-finding-label') === ${JSON.stringify(firstLabel)}`, undefined, { timeout: 5000 });

  // A heatmap on (by mouse here), then Space (with focus back on the list) hides it and brings it back.
  const withHeatmap = page.getByRole('switch', { name: /^Heatmap of / }).first();
  await withHeatmap.click();
  await page.locator('[data-testid^="heatmap-"]').first().waitFor({ state: 'attached' });
  await page.evaluate('new Promise((r) => setTimeout(r, 300))');
  const on = await pixelStats(await shot('r09-overlay-on', 'viewport'));
  await page.keyboard.press('k');
  await page.waitForFunction("() => !!document.activeElement?.getAttribute('data-finding-label')");
  await page.keyboard.press(' ');
  await page.locator('[data-testid^="heatmap-"]').first().waitFor({ state: 'detached' });
  await redraw(page);
  const hidden = await pixelStats(await shot('r09-overlay-hidden', 'viewport'));
  await page.getByText('AI overlays hidden', { exact: true }).waitFor();
  await page.keyboard.press(' ');
  await page.locator('[data-testid^="heatmap-"]').first().waitFor({ state: 'attached' });
  console.log(`    colourfulness with overlay ${on.colourfulness.toFixed(1)}, hidden ${hidden.colourfulness.toFixed(1)}`);
  assert(on.colourfulness > hidden.colourfulness + 5, 'Space hides the heatmap');
  await page.keyboard.press(' ');
});

test('keyboard: Esc goes back to the worklist with the study’s row highlighted', async () => {
  const { page } = c();
  const shownId = await drawnInstance(page);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Escape');
  await page.getByRole('grid').waitFor();
  const highlighted = await page.locator('tr[aria-selected="true"]').getAttribute('data-study-id');
  const { ws } = c();
  const detail = await ws.core.api['studies:get']({ studyId: Number(highlighted) });
  assert(detail.series.some((s) => s.instances.some((i) => `instance-${i.id}` === shownId)), `the highlighted row is the study read (${highlighted})`);
});

/** Opens the newest study of the priors fixture's patient from the worklist (search by part of its ID). */
async function openTessNewest(page: Page): Promise<number> {
  const { ws } = c();
  const list = await ws.core.api['studies:list']({ text: '99999', sort: { field: 'date', dir: 'desc' }, offset: 0, limit: 10 });
  const newest = list.items[0]!;
  if (await page.getByRole('button', { name: 'Worklist' }).isVisible()) await page.getByRole('button', { name: 'Worklist' }).click();
  // Whatever its status: out of the unread-only view.
  const priority = page.getByRole('button', { name: 'Unread by priority' });
  if ((await priority.getAttribute('aria-pressed')) === 'true') await priority.click();
  const search = page.getByRole('searchbox', { name: 'Search patients, IDs, descriptions' });
  await search.fill('99999');
  await page.locator(`tr[data-study-id="${newest.id}"]`).click();
  await page.locator('[data-testid="viewer-canvas"][data-drawn]').first().waitFor({ timeout: 30_000 });
  return newest.id;
}

// 5. Comparison with priors.
test('priors: c shows the latest prior under CURRENT/PRIOR banners; the reader picks the older one; W/L linked on request', async () => {
  const { page } = c();
  await openTessNewest(page);
  // Typed in the search box, then the row clicked: the keys now go to the viewer.
  await page.keyboard.press('c');
  await page.getByTestId('pane-banner').nth(1).waitFor({ timeout: 30_000 });
  const banners = async () => page.getByTestId('pane-banner').allInnerTexts();
  assert(JSON.stringify(await banners()) === JSON.stringify([`CURRENT · ${TESS.dates[2]}`, `PRIOR · ${TESS.dates[1]}`]), `latest prior first (${await banners()})`);
  await page.getByRole('combobox', { name: 'Compared with' }).click();
  await page.getByRole('option', { name: TESS.dates[0]! }).click();
  await page.waitForFunction(`() => [...document.querySelectorAll('[data-testid="pane-banner"]')].map((b) => b.textContent).join('|') === ${JSON.stringify(`CURRENT · ${TESS.dates[2]}|PRIOR · ${TESS.dates[0]}`)}`, undefined, { timeout: 30_000 });
  await page.locator('[data-testid="viewer-canvas"][data-drawn]').nth(1).waitFor({ timeout: 30_000 });

  await page.getByRole('button', { name: 'Link W/L' }).click();
  const priorPane = page.getByTestId('viewer-viewport').nth(1);
  const priorBefore = await priorPane.getByTestId('wl-readout').textContent();
  const box = (await page.getByTestId('viewer-viewport').first().boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 120, box.y + box.height / 2 + 50, { steps: 8 });
  await page.mouse.up();
  await priorPane.getByTestId('preset-readout').getByText('Window: linked to the current image').waitFor();
  const priorAfter = await priorPane.getByTestId('wl-readout').textContent();
  console.log(`    prior window ${priorBefore} → ${priorAfter} (linked)`);
  assert(priorAfter !== priorBefore, 'the prior’s window follows the current’s drag');
  await redraw(page);
  await shot('r10-priors-compare-linked');
});

test('priors: the trend axis is proportional to time and its last date is not clipped', async () => {
  const { page } = c();
  await page.getByRole('tab', { name: 'Trend' }).click();
  await page.getByTestId('trend-plot').waitFor();
  const xs = (await page.getByTestId('trend-point').evaluateAll((els) => els.map((e) => [e.getAttribute('data-date'), Number(e.getAttribute('cx'))]))) as [string, number][];
  xs.sort((a, b) => a[1] - b[1]);
  console.log(`    points: ${xs.map(([d, x]) => `${d}@${x.toFixed(0)}`).join(' ')}`);
  assert(xs.length === 3, `three studies plotted (got ${xs.length})`);
  const [a, b, cc] = xs.map((p) => p[1]);
  // 2019-03-01 → 2019-04-01 is one month; → 2024-02-10 almost five years.
  assert(b! - a! < (cc! - b!) / 20, 'a month apart sits close, five years apart far');
  const plot = (await page.getByTestId('trend-plot').boundingBox())!;
  const last = (await page.getByTestId('trend-date').last().boundingBox())!;
  assert(last.x + last.width <= plot.x + plot.width + 0.5, `the last date label ends inside the plot (${last.x + last.width} ≤ ${plot.x + plot.width})`);
  assert((await page.getByTestId('trend-date').last().textContent()) === TESS.dates[2], 'the last label is the newest date');
  await shot('r11-trend-time-axis');
});

// 3. Report editing that never loses a word.
test('report: the draft compares with the prior shown; typing is saved, survives a tab switch and a reload', async () => {
  const { page, ws } = c();
  await page.getByRole('tab', { name: 'Report' }).click();
  await page.getByRole('button', { name: 'Draft report' }).click();
  const comparison = page.getByLabel('Comparison');
  await comparison.waitFor({ timeout: 30_000 });
  const compared = await comparison.inputValue();
  console.log(`    Comparison: "${compared}"`);
  assert(compared.startsWith(TESS.dates[0]!), 'the Comparison section names the prior shown, not "None available"');
  const words = 'No acute cardiopulmonary abnormality. Unchanged from 2019.';
  await page.getByLabel('Impression').fill(words);
  await page.getByTestId('report-save-status').getByText(/^Unsaved changes/).waitFor();
  await page.getByRole('tab', { name: 'Findings' }).click();
  await page.getByRole('tab', { name: 'Report' }).click();
  assert((await page.getByLabel('Impression').inputValue()) === words, 'a tab switch keeps the text');
  await page.getByTestId('report-save-status').getByText('All changes saved').waitFor({ timeout: 10_000 });
  await shot('r12-report-autosaved');

  const studyId = await openTessNewest(page);
  await page.reload();
  await page.locator('tr[data-study-id]').first().waitFor({ timeout: 30_000 });
  await page.locator(`tr[data-study-id="${studyId}"]`).click();
  await page.getByRole('tab', { name: 'Report' }).click();
  await page.getByLabel('Impression').waitFor({ timeout: 30_000 });
  assert((await page.getByLabel('Impression').inputValue()) === words, 'the text is there after a reload');
  const stored = await ws.core.api['reports:search']({ studyId, text: '', limit: 1 });
  assert(stored.length === 1, 'one report for the study');
});

test('report: Ctrl+Enter saves, signs and opens the next unread study; the worklist shows Final at once; an addendum follows', async () => {
  const { page, ws } = c();
  const shownBefore = await drawnInstance(page);
  // The reader the core signs as (Settings → Reader); the panel says so and has no name field.
  await ws.core.api['reader:set']({ name: 'Dr Reader' });
  await page.getByTestId('report-signing-as').getByText(/^Signing as Dr Reader\./).waitFor({ timeout: 10_000 });
  // Signing needs Findings and Impression written (an empty one is refused with the reason).
  const findingsText = page.getByLabel('Findings', { exact: true });
  if (!(await findingsText.inputValue()).trim()) await findingsText.fill('Lungs clear.');
  await page.getByLabel('Impression').fill('No acute cardiopulmonary abnormality.');
  // Straight away, before the autosave pause: the sign request saves first.
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction(`() => [null, ${JSON.stringify(shownBefore)}].indexOf(document.querySelector('[data-testid="viewer-canvas"]')?.getAttribute('data-drawn') ?? null) < 0`, undefined, { timeout: 30_000 });
  const list = await ws.core.api['studies:list']({ text: '99999', sort: { field: 'date', dir: 'desc' }, offset: 0, limit: 10 });
  const signed = list.items[0]!;
  assert(signed.status === 'final', `the study is final (${signed.status})`);
  const report = await ws.core.api['reports:get']({ reportId: (await ws.core.api['reports:search']({ studyId: signed.id, text: '', limit: 1 }))[0]!.id });
  assert(report.sections.find((s) => s.name === 'impression')!.text === 'No acute cardiopulmonary abnormality.', 'the last words typed were saved before signing');

  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Escape');
  await page.locator(`tr[data-study-id="${signed.id}"]`).getByText('Final').waitFor({ timeout: 10_000 });
  await shot('r13-worklist-final-without-reload');

  await page.locator(`tr[data-study-id="${signed.id}"]`).click();
  await page.getByRole('tab', { name: 'Report' }).click();
  const signature = page.getByTestId('report-signature');
  await signature.waitFor({ timeout: 30_000 });
  const text = (await signature.textContent()) ?? '';
  console.log(`    ${text}`);
  assert(text.startsWith('Signed by Dr Reader on ') && !/\d{4}-\d{2}-\d{2}T/.test(text), 'the signature time is local, not raw ISO');
  await page.getByLabel('New addendum').fill('Compared with outside films: unchanged.');
  await page.getByRole('button', { name: 'Add addendum' }).click();
  await page.getByTestId('report-addenda').getByText('Compared with outside films: unchanged.').waitFor();
  await page.getByTestId('report-addenda').getByText(/^Addendum by Dr Reader, /).waitFor();
  await shot('r14-report-signed-addendum');
});

/** Opens a study from the worklist by the file name of one of its images (the list shows every status). */
async function openByFile(page: Page, fragment: string): Promise<{ studyId: number; instanceId: number }> {
  const { ws } = c();
  const ids = await studyIdByName(ws, fragment);
  if (await page.getByRole('button', { name: 'Worklist' }).isVisible()) await page.getByRole('button', { name: 'Worklist' }).click();
  const priority = page.getByRole('button', { name: 'Unread by priority' });
  if ((await priority.getAttribute('aria-pressed')) === 'true') await priority.click();
  await page.getByRole('searchbox', { name: 'Search patients, IDs, descriptions' }).fill('');
  await page.locator(`tr[data-study-id="${ids.studyId}"]`).click();
  await waitDrawn(page, ids.instanceId);
  return ids;
}

/** The image's rectangle on screen, relative to the viewport, as the viewer reports it. */
async function imageRect(page: Page, nth = 0): Promise<{ x: number; y: number; w: number; h: number }> {
  const v = await page.getByTestId('viewer-viewport').nth(nth).getAttribute('data-image-rect');
  const [x, y, w, h] = (v ?? '').split(',').map(Number);
  return { x: x!, y: y!, w: w!, h: h! };
}

async function markers(page: Page): Promise<string> {
  const at = async (edge: string) => (await page.getByTestId(`marker-${edge}`).first().textContent()) ?? '';
  return `${await at('left')}|${await at('right')}|${await at('top')}|${await at('bottom')}`;
}

// 6. The viewer a radiologist expects.
test('viewer: L/R markers from PatientOrientation follow flips and rotations; the window shown is named', async () => {
  const { page } = c();
  await openByFile(page, J2K);
  await page.getByTestId('marker-left').first().waitFor({ timeout: 10_000 });
  assert((await markers(page)) === 'R|L|H|F', `PA chest: R on the left, L on the right (got ${await markers(page)})`);
  await page.keyboard.press('h');
  await page.waitForFunction("() => document.querySelector('[data-testid=\"marker-left\"]')?.textContent === 'L'");
  assert((await markers(page)) === 'L|R|H|F', `flipped: ${await markers(page)}`);
  await page.keyboard.press('r');
  await page.waitForFunction("() => document.querySelector('[data-testid=\"marker-top\"]')?.textContent === 'L'");
  console.log(`    flipped then rotated right: ${await markers(page)}`);
  await shot('r15-orientation-flipped-rotated');
  await page.keyboard.press('0');
  await page.waitForFunction("() => document.querySelector('[data-testid=\"marker-left\"]')?.textContent === 'R'");
  await page.getByTestId('preset-readout').first().getByText('Window: default (from file)').waitFor();
  await page.keyboard.press('4');
  await page.getByTestId('preset-readout').first().getByText('Window: high contrast').waitFor();
  await page.keyboard.press('0');
});

test('viewer: the DICOM tag viewer (d) lists the file’s elements and filters them', async () => {
  const { page } = c();
  await page.keyboard.press('d');
  const dialog = page.getByRole('dialog', { name: 'DICOM tags' });
  await dialog.getByTestId('tag-table').waitFor({ timeout: 10_000 });
  const count = await dialog.locator('tr[data-tag]').count();
  await dialog.getByLabel('Filter (tag, name or value)').fill('orientation');
  const row = dialog.locator('tr[data-tag="(0020,0020)"]');
  await row.waitFor();
  assert((await row.innerText()).includes('L\\F'), 'PatientOrientation L\\F');
  console.log(`    ${count} elements; filtered: ${(await row.innerText()).replace(/\s+/g, ' ')}`);
  await shot('r16-dicom-tags');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
});

test('viewer: at 1000 px the corner text never covers the image, and it has a dark halo for bright images', async () => {
  const { page } = c();
  await page.setViewportSize({ width: 1000, height: 800 });
  try {
    for (const file of [RSNA, J2K]) {
      await openByFile(page, file);
      await redraw(page);
      const vp = (await page.getByTestId('viewer-viewport').first().boundingBox())!;
      const img = await imageRect(page);
      for (const corner of ['topLeft', 'topRight', 'bottomLeft', 'bottomRight']) {
        const box = await page.getByTestId(`corner-${corner}`).first().boundingBox();
        if (!box) continue;
        const x = box.x - vp.x;
        const y = box.y - vp.y;
        const overlaps = x < img.x + img.w && img.x < x + box.width && y < img.y + img.h && img.y < y + box.height;
        assert(!overlaps, `${file}: ${corner} text (${x.toFixed(0)},${y.toFixed(0)} ${box.width.toFixed(0)}×${box.height.toFixed(0)}) stays off the image (${JSON.stringify(img)})`);
      }
      // Nor do the orientation markers and the corner text cover each other.
      for (const edge of ['left', 'right', 'top', 'bottom']) {
        const m = await page.getByTestId(`marker-${edge}`).first().boundingBox();
        for (const corner of ['topLeft', 'topRight', 'bottomLeft', 'bottomRight']) {
          const t = await page.getByTestId(`corner-${corner}`).first().boundingBox();
          if (!m || !t) continue;
          const hit = m.x < t.x + t.width && t.x < m.x + m.width && m.y < t.y + t.height && t.y < m.y + m.height;
          assert(!hit, `${file}: the ${edge} marker and the ${corner} text do not overlap`);
        }
      }
      console.log(`    ${file}: image ${img.w.toFixed(0)}×${img.h.toFixed(0)} at ${img.x.toFixed(0)},${img.y.toFixed(0)} in ${vp.width.toFixed(0)}×${vp.height.toFixed(0)}`);
    }
    const shadow = (await page.evaluate("getComputedStyle(document.querySelector('[data-testid=\"corner-topLeft\"]')).textShadow")) as string;
    assert((shadow.match(/rgb\(0, 0, 0\)/g) ?? []).length >= 3, `a halo of several dark shadows (${shadow})`);
    await shot('r17-viewer-1000px-text-clear');
  } finally {
    await page.setViewportSize({ width: 1440, height: 900 });
  }
});

test('viewer: angle, ellipse ROI (mean ± SD) and CTR are measured, stored with the reader and time, and back after a reload', async () => {
  const { page, ws } = c();
  const { studyId, instanceId } = await openByFile(page, RSNA);
  const before = (await ws.core.api['annotations:list']({ instanceId })).length;
  const box = (await page.getByTestId('viewer-viewport').first().boundingBox())!;
  const at = (fx: number, fy: number) => [box.x + box.width * fx, box.y + box.height * fy] as const;
  const drag = async (from: readonly [number, number], to: readonly [number, number]) => {
    await page.mouse.move(...from);
    await page.mouse.down();
    await page.mouse.move(...to, { steps: 6 });
    await page.mouse.up();
  };
  await page.keyboard.press('q');
  await drag(at(0.42, 0.62), at(0.62, 0.62));
  await page.locator('[data-kind="ctr"]').getByText('now drag the thoracic diameter').waitFor();
  await drag(at(0.3, 0.55), at(0.7, 0.57));
  await page.locator('[data-testid="measure-label"][data-kind="ctr"]').getByText(/^CTR 0\.5\d \(\d+ \/ \d+ mm\)/).waitFor({ timeout: 10_000 });
  await page.keyboard.press('a');
  await drag(at(0.35, 0.3), at(0.45, 0.45));
  await drag(at(0.45, 0.45), at(0.6, 0.3));
  await page.locator('[data-testid="measure-label"][data-kind="angle"]').getByText(/°$/).waitFor({ timeout: 10_000 });
  await page.keyboard.press('e');
  await drag(at(0.42, 0.4), at(0.5, 0.48));
  await page.locator('[data-testid="measure-label"][data-kind="ellipse"]').getByText(/^mean [\d.-]+ ± [\d.]+ \(n \d+\), \d+ mm²$/).waitFor({ timeout: 10_000 });
  const labels = await page.getByTestId('measure-label').allTextContents();
  console.log(`    ${labels.join(' | ')}`);
  assert(labels.length === 3 && labels.every((l) => l.length > 3), 'three labelled measurements');
  const ratio = Number(/^CTR ([\d.]+)/.exec(labels.find((l) => l.startsWith('CTR')) ?? '')?.[1]);
  assert(Math.abs(ratio - 0.5) < 0.03, `cardiac 20 % of the width over thoracic 40 %: CTR ≈ 0.5 (${ratio})`);
  await shot('r18-measurements');
  const stored = await ws.core.api['annotations:list']({ instanceId });
  assert(stored.length === before + 3, `three measurements stored (${stored.length - before})`);
  assert(stored.slice(-3).every((a) => a.author.length > 0 && /^\d{4}-\d{2}-\d{2}T/.test(a.createdAt)), 'each with its reader and time');
  const author = await page.locator('[data-testid="measure-label"][data-kind="ctr"]').getAttribute('data-author');
  assert(author === stored.at(-3)!.author, `the label knows its reader (${author})`);

  await page.keyboard.press('w');
  await page.reload();
  await page.locator(`tr[data-study-id="${studyId}"]`).click();
  await waitDrawn(page, instanceId);
  await page.locator('[data-testid="measure-label"][data-kind="ellipse"]').waitFor({ timeout: 10_000 });
  const after = await page.getByTestId('measure-label').allTextContents();
  assert(JSON.stringify(after) === JSON.stringify(labels), `the same measurements after a reload (${after.join(' | ')})`);
});

test('viewer: non-square pixel spacing is drawn in its true proportions', async () => {
  if (!hasShared) skip('../shared is absent');
  const { page } = c();
  // The RSNA CR with rows 0.336 mm apart and columns 0.168 mm: each pixel twice as tall as wide. New UIDs, same length.
  const path = sharedPath('data', 'dicom', 'cxr', RSNA);
  const bytes = Buffer.from(readFileSync(path));
  const { dataSet } = readDataSet(bytes, path);
  const replaceAll = (from: string, to: string) => {
    if (from.length !== to.length) throw new Error('same length only');
    for (let at = bytes.indexOf(from, 0, 'latin1'); at >= 0; at = bytes.indexOf(from, at + 1, 'latin1')) bytes.write(to, at, 'latin1');
  };
  for (const tag of ['x00080018', 'x0020000d', 'x0020000e']) {
    const uid = dataSet.string(tag)!;
    replaceAll(uid, uid.slice(0, -1) + String((Number(uid.at(-1)) + 1) % 10));
  }
  replaceAll('0.168\\0.168', '0.336\\0.168');
  const folder = mkdtempSync(join(tmpdir(), 'cxr-e2e-aspect-'));
  const file = join(folder, 'rsna_nonsquare.dcm');
  writeFileSync(file, bytes);
  if (await page.getByRole('button', { name: 'Worklist' }).isVisible()) await page.getByRole('button', { name: 'Worklist' }).click();
  await openImportPanel(page);
  await page.getByLabel('Paths on the workstation (one per line)').fill(file);
  await page.getByRole('button', { name: 'Start import' }).click();
  await page.getByTestId('import-status').getByText(/^Done: 1 files, 0 failed — 1 imported/).waitFor({ timeout: 30_000 });
  const square = await openByFile(page, RSNA).then(() => imageRect(page));
  await openByFile(page, 'rsna_nonsquare.dcm');
  const tall = await imageRect(page);
  console.log(`    square pixels ${square.w.toFixed(0)}×${square.h.toFixed(0)}, 0.336 × 0.168 mm pixels ${tall.w.toFixed(0)}×${tall.h.toFixed(0)}`);
  assert(Math.abs(square.h / square.w - 1) < 0.01, 'square pixels: a square image');
  assert(Math.abs(tall.h / tall.w - 2) < 0.02, `rows twice as far apart: drawn twice as tall (${(tall.h / tall.w).toFixed(3)})`);
  await shot('r19-non-square-pixels');
});

// 7. Getting images in from a browser.
test('upload: a file dropped on the import panel and a folder picked are sent with progress, then imported', async () => {
  if (!hasShared) skip('../shared is absent');
  const { page, ws } = c();
  if (await page.getByRole('button', { name: 'Worklist' }).isVisible()) await page.getByRole('button', { name: 'Worklist' }).click();
  await openImportPanel(page);
  // A drop of one file, as the browser hands it over (a DataTransfer holding a File).
  const dropped = '00022753_000.png';
  const b64 = readFileSync(sharedPath('data', 'nih-cxr14', 'images', dropped)).toString('base64');
  const transfer = await page.evaluateHandle(
    `(() => { const bin = atob(${JSON.stringify(b64)}); const bytes = new Uint8Array(bin.length); for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);` +
      ` const dt = new DataTransfer(); dt.items.add(new File([bytes], ${JSON.stringify(dropped)}, { type: 'image/png' })); return dt; })()`,
  );
  await page.getByTestId('upload-zone').dispatchEvent('drop', { dataTransfer: transfer });
  await page.getByTestId('upload-status').getByText('Sent 1 files to the workstation (0 refused); their import follows below.').waitFor({ timeout: 30_000 });
  await page.getByTestId('import-status').getByText(/^Done: 1 files, 0 failed — 1 imported/).waitFor({ timeout: 30_000 });
  await shot('r20-upload-dropped-file');

  // A folder picked (its labels.csv goes with it and names the patient).
  const folder = mkdtempSync(join(tmpdir(), 'cxr-e2e-upload-'));
  const picked = ['00005618_000.png', '00022753_000.png'];
  const rows = ['image,patient_id,patient_name,age,sex,view,finding_labels'];
  for (const [i, f] of picked.entries()) {
    const name = `0009888${i}_000.png`;
    copyFileSync(sharedPath('data', 'nih-cxr14', 'images', f), join(folder, name));
    rows.push(`${name},0009888${i},Upload^Uma,40,F,PA,No Finding`);
  }
  writeFileSync(join(folder, 'labels.csv'), rows.join('\n') + '\n');
  await page.getByTestId('upload-folder-input').setInputFiles(folder);
  await page.getByTestId('upload-status').getByText('Sent 3 files to the workstation (0 refused); their import follows below.').waitFor({ timeout: 30_000 });
  // The second PNG has the dropped one's pixels: the index says it is the same image, and why.
  await page.getByTestId('import-status').getByText(/^Done: 3 files, 0 failed — 1 imported, 0 updated, 2 skipped/).waitFor({ timeout: 30_000 });
  await page.getByTestId('import-skipped').getByText(/duplicate SOP Instance UID/).waitFor();
  await page.getByRole('searchbox', { name: 'Search patients, IDs, descriptions' }).fill('Upload');
  await page.locator('tr[data-study-id]').filter({ hasText: 'Upload^Uma' }).first().waitFor({ timeout: 10_000 });
  await shot('r21-upload-folder-imported');
  await page.getByRole('searchbox', { name: 'Search patients, IDs, descriptions' }).fill('');
  const stored = readdirSync(join(ws.dataDir, 'uploads'));
  console.log(`    upload batches under the data folder: ${stored.length}`);
  assert(stored.length === 2, 'two batches, each in its own folder under uploads/');
});

// 8. Errors that say what to do.
test('session: a page opened with a wrong or stale token says the session has ended, not "Studies: 0 … Import images"', async () => {
  const { browser, ws, screenshots } = c();
  const other = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  try {
    await other.goto(`${ws.bridge.url}#token=stale-token-from-yesterday`);
    await other.getByTestId('session-ended').waitFor({ timeout: 15_000 });
    const text = await other.getByTestId('session-ended').innerText();
    assert(/session has ended/.test(text) && /npm start/.test(text), `says what to do (${text.replace(/\s+/g, ' ')})`);
    assert((await other.getByText(/Import images/).count()) === 0, 'no invitation to import again');
    await other.screenshot({ path: join(screenshots, 'r22-session-ended.png') });
  } finally {
    await other.close();
  }
});

test('settings: the execution providers listed are those that actually loaded, with why the others did not', async () => {
  const { page, ws } = c();
  await page.getByRole('button', { name: 'Settings' }).click();
  const help = page.getByText(/^The model runs on \w+; loaded in this session: /);
  await help.waitFor({ timeout: 10_000 });
  const list = await ws.core.api['models:list']({});
  console.log(`    ${await help.innerText()}; offered by onnxruntime: ${list.offeredProviders.join(', ')}; failed: ${list.providers.failed.map((f) => f.provider).join(', ') || 'none'}`);
  await page.getByRole('combobox', { name: 'Execution provider' }).click();
  const options = await page.getByRole('option').allInnerTexts();
  await page.keyboard.press('Escape');
  const named = options.filter((o) => !/^Automatic/.test(o));
  assert(named.every((o) => o === 'cpu' || list.providers.loaded.includes(o)), `only providers that loaded (${options.join(', ')})`);
  for (const f of list.providers.failed) await page.getByTestId('provider-failed').filter({ hasText: `${f.provider} did not load` }).waitFor();
  await shot('r23-settings-providers');
  await page.getByRole('button', { name: 'Close' }).click();
});

// 1 (continued). A reload during an import finds it again. Last: it leaves an import cancelled half way.
test('jobs: a reload during an import re-attaches to it; Cancel stops it and says what was kept', async () => {
  if (!hasShared) skip('../shared is absent');
  const { page } = c();
  // Copies of an image already indexed, large and slow to decode: the import runs for a while and adds no study.
  const folder = mkdtempSync(join(tmpdir(), 'cxr-e2e-slow-'));
  for (let i = 0; i < 120; i++) copyFileSync(sharedPath('data', 'dicom', 'cxr', J2K), join(folder, `copy-${String(i).padStart(3, '0')}.dcm`));
  if (await page.getByRole('button', { name: 'Worklist' }).isVisible()) await page.getByRole('button', { name: 'Worklist' }).click();
  await openImportPanel(page);
  await page.getByLabel('Paths on the workstation (one per line)').fill(folder);
  await page.getByRole('button', { name: 'Start import' }).click();
  await page.getByTestId('import-status').getByText(/^\d+ of 120 files/).waitFor({ timeout: 30_000 });
  await page.reload();
  // The panel opens by itself on the running import.
  await page.getByRole('progressbar', { name: 'Import progress' }).waitFor({ timeout: 30_000 });
  const running = await page.getByTestId('import-status').innerText();
  console.log(`    after the reload: ${running}`);
  assert(/^\d+ of 120 files/.test(running), 're-attached to the running import');
  await shot('r24-import-reattached-after-reload');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByTestId('import-status').getByText(/^Cancelled after \d+ files \(0 failed\) — 0 imported, 0 updated, \d+ skipped; what was imported is kept$/).waitFor({ timeout: 30_000 });
  assert(await page.getByRole('button', { name: 'Start import' }).isEnabled(), 'Start import is enabled again');
  await shot('r25-import-cancelled');
});
