/**
 * What the reader reads and sees of the AI (issue 10, points 1 and 2): the findings text in words only with the
 * numbers in the AI details, no place where the localisation is not validated, and overlays that point at something:
 * nothing drawn for findings that are not called, heatmaps on one absolute scale, outlines and boxes with their
 * names, one switch that hides them all. Runs after workstation.spec.ts, which imported and analysed the studies
 * (the tiny pack, no calibration: nothing is called at the default thresholds).
 */
import { isOperationName, type AnalysisResult } from '../../main/api/index.js';
import { pixelStats } from './pixels.js';
import { assert, skip, test } from './runner.js';
import { c, NIH, shot, studyIdByName, waitDrawn } from './session.js';

const LANGS = ['en', 'fr', 'es', 'pt'] as const;

test('findings text: words only, numbers in the AI details with the language’s decimals, no unvalidated place, in four languages', async () => {
  if (!isOperationName('analysis:get')) skip('the contract has no analysis operations yet');
  const { ws } = c();
  const nih = await studyIdByName(ws, NIH[1]!);
  for (const language of LANGS) {
    const r = (await ws.core.api['analysis:get']({ instanceId: nih.instanceId, language })) as AnalysisResult | null;
    assert(r && r.status === 'shown', `${NIH[1]} was analysed and passed the quality gate`);
    console.log(`    ${language}: ${r.text.sentences.map((s) => s.text).join(' ')} | ${r.text.details.lines[0]?.text}`);
    for (const s of r.text.sentences) {
      assert(!/[0-9%]/.test(s.text), `${language}: no number or percentage in the clinical text ("${s.text}")`);
      assert(!/médiastin|mediastin/i.test(s.text), `${language}: no mediastinum ("${s.text}")`);
    }
    // One details line per finding with a validated operating point (a label not calibrated has no threshold to print).
    const validated = r.findings.filter((f) => f.operatingPoint.status === 'validated').length;
    assert(r.text.details.lines.length === validated, `${language}: one AI details line per finding with a validated operating point`);
    const decimal = language === 'en' ? /\d\.\d/ : /\d,\d/;
    assert(r.text.details.lines.every((l) => decimal.test(l.text)), `${language}: details with the language's decimals`);
    // The tiny pack's manifest does not claim a validated localisation: no finding is given a place.
    assert(r.findings.every((f) => !f.location.stated && f.locationText === null), `${language}: no place named`);
  }
});

test('overlays: nothing drawn for findings not called; an improbable heatmap stays faint; outlines and boxes named; one switch hides all', async () => {
  if (!isOperationName('analysis:get')) skip('the contract has no analysis operations yet');
  const { page, ws } = c();
  const nih = await studyIdByName(ws, NIH[1]!);
  await page.getByRole('button', { name: 'Worklist' }).click();
  await page.locator(`tr[data-study-id="${nih.studyId}"]`).click();
  await waitDrawn(page, nih.instanceId);
  await page.getByRole('tab', { name: 'Findings' }).click();
  await page.getByTestId('findings-text').waitFor({ timeout: 30_000 });
  const r = (await ws.core.api['analysis:get']({ instanceId: nih.instanceId, language: 'en' }))!;
  assert(r.status === 'shown', 'the image passed the quality gate');
  const called = r.findings.filter((f) => f.positive);
  const contours = await page.locator('[data-testid^="contour-"]').count();
  console.log(`    ${called.length} findings called; ${contours} outlines drawn by default`);
  assert(contours === called.filter((f) => f.contours.length).length, 'by default exactly the called findings are outlined');
  await page.evaluate('new Promise((r) => setTimeout(r, 300))');
  const base = await pixelStats(await shot('f01-overlays-default', 'viewport'));

  const byProbability = [...r.findings].sort((a, b) => b.probability - a.probability);
  const high = byProbability[0]!;
  const low = byProbability[byProbability.length - 1]!;
  const heatmapColour = async (label: string, name: string) => {
    const sw = page.getByRole('switch', { name: `Heatmap of ${label.replace(/_/g, ' ')}` });
    await sw.click();
    await page.getByTestId(`heatmap-${label}`).waitFor({ state: 'attached' });
    await page.waitForFunction(`[...document.querySelectorAll('[data-testid=heatmap-${label}]')].every((el) => el.getBBox().width > 0)`, undefined, { timeout: 10_000 });
    await page.evaluate('new Promise((r) => setTimeout(r, 400))');
    const stats = await pixelStats(await shot(name, 'viewport'));
    await sw.click();
    return stats.colourfulness - base.colourfulness;
  };
  const lowColour = await heatmapColour(low.label, 'f02-heatmap-least-probable');
  const highColour = await heatmapColour(high.label, 'f03-heatmap-most-probable');
  console.log(`    heatmap colour added: ${low.label} (p ${low.probability.toFixed(3)}) ${lowColour.toFixed(2)}, ${high.label} (p ${high.probability.toFixed(3)}) ${highColour.toFixed(2)}`);
  assert(lowColour < 1, `a finding at ${(low.probability * 100).toFixed(0)}% draws no hot spot`);
  assert(highColour > lowColour + 0.3, 'on one absolute scale the more probable finding shows more heat');

  // Outline and box of the most probable finding, each named on the image.
  const name = high.label.replace(/_/g, ' ');
  await page.getByRole('switch', { name: `Outline of ${name}` }).click();
  await page.getByRole('switch', { name: `Box of ${name}` }).click();
  await page.getByTestId(`contour-${high.label}`).waitFor({ state: 'attached' });
  await page.getByTestId(`box-${high.label}`).waitFor({ state: 'attached' });
  const label = page.getByTestId(`overlay-label-${high.label}`);
  assert((await label.textContent()) === `${name} (AI)`, `the outline is named "${name} (AI)"`);
  await page.evaluate('new Promise((r) => setTimeout(r, 300))');
  const drawn = await pixelStats(await shot('f04-outline-box-named', 'viewport'));
  assert(drawn.colourfulness > base.colourfulness + 0.3, 'the outline and box are drawn in colour');
  await page.getByRole('switch', { name: `Heatmap of ${name}` }).click();
  await page.evaluate('new Promise((r) => setTimeout(r, 400))');
  await shot('f05-outline-box-heatmap-page');

  // One switch hides every AI overlay and its names; the choices come back with it.
  const toggle = page.getByTestId('ai-overlays-toggle');
  await toggle.click();
  await page.getByTestId('finding-overlay').waitFor({ state: 'detached' });
  assert((await page.locator('[data-testid^="overlay-label-"]').count()) === 0, 'no AI overlay names while hidden');
  await page.getByText('AI overlays hidden').waitFor();
  await page.evaluate('new Promise((r) => setTimeout(r, 300))');
  const hidden = await pixelStats(await shot('f06-ai-overlays-hidden', 'viewport'));
  assert(hidden.colourfulness <= base.colourfulness + 0.2, 'hiding AI overlays leaves the image as it was');
  await toggle.click();
  await page.getByTestId(`contour-${high.label}`).waitFor({ state: 'attached' });
  await page.getByTestId(`heatmap-${high.label}`).waitFor({ state: 'attached' });

  // The AI details appendix, opened (it lists findings with a validated operating point: none before a calibration).
  if (r.text.details.lines.length) {
    await page.getByTestId('ai-details').locator('summary').click();
    await page.getByTestId('ai-details').getByText(/AI probability/).first().waitFor();
    await shot('f07-ai-details');
  } else assert((await page.getByTestId('ai-details').count()) === 0, 'no AI details appendix without a validated operating point');
  // Leave the image as the next spec expects to find it: no overlay switched on by this one.
  for (const what of ['Outline', 'Box', 'Heatmap']) await page.getByRole('switch', { name: `${what} of ${name}` }).click();
});
