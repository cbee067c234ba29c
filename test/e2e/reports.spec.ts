/**
 * Reports end to end: the report says what the AI did (and the pack's intended use), signing an empty impression is
 * refused with a message, and what a signed study shows in the viewer and in its exports stays as signed after a
 * recalibration, while an unsigned study follows the new thresholds. Runs after workstation.spec.ts, whose studies
 * are imported and analysed with the tiny pack.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { AnalysisResult } from '../../main/api/index.js';
import { AnalysisRepository } from '../../main/db/analysisRepository.js';
import { openDatabase } from '../../main/db/connection.js';
import { hasShared } from '../helpers/shared.js';
import { assert, skip, test } from './runner.js';
import { c, NIH, shot, studyIdByName, waitDrawn } from './session.js';

/** Saves the report's edits when there are any, and waits until the panel says there are none left. */
async function save(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: 'Save' });
  if (await button.isDisabled()) return;
  await button.click();
  for (let i = 0; i < 100 && !(await button.isDisabled()); i++) await page.waitForTimeout(100);
}

/** A fresh load of the workstation, then the study opened from the worklist (whatever screen the last spec left). */
async function openStudy(page: Page, launchUrl: string, studyId: number): Promise<void> {
  await page.goto(launchUrl);
  await page.reload();
  const understand = page.getByRole('button', { name: 'I understand' });
  if (await understand.isVisible().catch(() => false)) await understand.click();
  await page.locator(`tr[data-study-id="${studyId}"]`).click();
}

const findingsOf = (r: AnalysisResult) => (r.status === 'shown' ? r.findings : []);
const calibrationOf = (r: AnalysisResult) => (r.status === 'shown' ? r.operatingPoints.calibrationId : null);
const called = (r: AnalysisResult) => findingsOf(r).filter((f) => f.positive).map((f) => `${f.label} (${f.certainty})`);

test('reports: the AI section says what ran; an empty impression cannot be signed; a signed study stays as signed after recalibration', async () => {
  if (!hasShared) skip('../shared is absent');
  const { page, ws, screenshots } = c();
  const signed = await studyIdByName(ws, NIH[0]!);
  const control = await studyIdByName(ws, NIH[1]!);

  await openStudy(page, ws.launchUrl, signed.studyId);
  await waitDrawn(page, signed.instanceId);
  await page.getByRole('tab', { name: 'Report' }).click();
  await page.getByTestId('report-draft').waitFor({ timeout: 30_000 });
  const aiSection = await page.getByTestId('report-ai-section').innerText();
  console.log(`    AI section: ${aiSection.replace(/\s+/g, ' ').slice(0, 260)}`);
  assert(aiSection.includes('Not for clinical use'), "the AI section quotes the pack's intended use");
  assert(!aiSection.includes('Not used'), 'the AI ran on this study: the section never says "not used"');

  // Who signs is the workstation's reader, set once in Settings (the panel has no name field to type into).
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Reader name').fill('Dr E2E');
  await page.getByRole('button', { name: 'Save reader' }).click();
  await page.getByTestId('reader-current').getByText('Acting and signing as Dr E2E.').waitFor({ timeout: 10_000 });
  await page.keyboard.press('Escape');
  await page.getByTestId('report-signing-as').getByText(/^Signing as Dr E2E\./).waitFor({ timeout: 10_000 });
  // Signing with an empty impression is refused, with the reason on screen.
  const impression = page.getByLabel('Impression');
  await impression.fill('');
  const findings = page.getByLabel('Findings', { exact: true });
  if (!(await findings.inputValue()).trim()) await findings.fill('Lungs clear.');
  await save(page);
  await page.getByRole('button', { name: 'Sign' }).click();
  await page.getByText(/cannot be signed: .*Impression is empty/).waitFor({ timeout: 10_000 });
  await shot('30-report-sign-refused');

  await impression.fill('No acute cardiopulmonary abnormality.');
  await save(page);
  await page.getByRole('button', { name: 'Sign' }).click();
  await page.getByText('Final (signed)').waitFor({ timeout: 10_000 });
  await shot('31-report-signed');

  // The study as a reader opens it once signed: the findings marked as signed, with no decision left to take.
  await openStudy(page, ws.launchUrl, signed.studyId);
  await waitDrawn(page, signed.instanceId);
  await page.getByRole('tab', { name: 'Findings' }).click();
  await page.getByTestId(/^finding-/).first().waitFor();
  await page.getByTestId('findings-signed').waitFor();
  assert((await page.getByRole('button', { name: /^Accept / }).count()) === 0, 'a signed image offers no accept button');
  const panelBefore = await page.getByTestId(/^finding-/).allInnerTexts();
  const before = (await ws.core.api['analysis:get']({ instanceId: signed.instanceId, language: 'en' }))!;
  const controlBefore = (await ws.core.api['analysis:get']({ instanceId: control.instanceId, language: 'en' }))!;
  assert(before.signed?.reportId !== undefined, 'the viewer is shown the analysis as signed');

  // A new site calibration with much lower thresholds (written as `cxr calibrate` stores one; the run is tested elsewhere).
  const db = openDatabase(join(ws.dataDir, 'index.sqlite'));
  try {
    new AnalysisRepository(db).saveCalibration({
      packId: before.packId,
      packVersion: before.packVersion,
      method: 'youden',
      targetSensitivity: null,
      source: 'e2e recalibration',
      imageCount: 400,
      labels: findingsOf(before).map((f) => ({ label: f.label, threshold: 0.01, validated: true, refusal: null, sensitivity: 0.9, specificity: 0.5, auc: 0.8, aucCi: { low: 0.7, high: 0.9 }, positives: 50, negatives: 350 })),
    });
  } finally {
    db.close();
  }
  const after = (await ws.core.api['analysis:get']({ instanceId: signed.instanceId, language: 'en' }))!;
  const controlAfter = (await ws.core.api['analysis:get']({ instanceId: control.instanceId, language: 'en' }))!;
  console.log(`    signed study, before recalibration: ${called(before).join(', ') || 'nothing called'} (calibration ${calibrationOf(before) ?? 'none'})`);
  console.log(`    signed study, after recalibration:  ${called(after).join(', ') || 'nothing called'} (calibration ${calibrationOf(after) ?? 'none'})`);
  console.log(`    unsigned study: ${called(controlBefore).length} called before, ${called(controlAfter).length} after (calibration ${calibrationOf(controlAfter)})`);
  assert(called(controlAfter).length > called(controlBefore).length, 'the recalibration changes what an unsigned study shows');
  assert(JSON.stringify(after) === JSON.stringify(before), 'the signed study shows exactly what was signed');

  // The viewer, reloaded, shows the signed findings unchanged.
  await openStudy(page, ws.launchUrl, signed.studyId);
  await waitDrawn(page, signed.instanceId);
  await page.getByRole('tab', { name: 'Findings' }).click();
  await page.getByTestId(/^finding-/).first().waitFor();
  const panelAfter = await page.getByTestId(/^finding-/).allInnerTexts();
  assert(JSON.stringify(panelAfter) === JSON.stringify(panelBefore), `the findings panel is unchanged (${panelAfter.length} rows)`);
  await shot('32-signed-findings-after-recalibration');

  // The signed report's PDF: AI section as signed, intended use, patient ID and page numbers on every page.
  const report = (await ws.core.api['reports:search']({ studyId: signed.studyId, text: '', limit: 1 }))[0]!;
  const pdf = await ws.core.api['reports:export']({ reportId: report.id, format: 'pdf', deidentify: false, includeImages: true });
  const file = join(screenshots, '33-report.pdf');
  writeFileSync(file, (await ws.core.resource(pdf.path))!.body);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  assert(text.includes('Not for clinical use'), 'the PDF quotes the intended use');
  assert(/Recorded when the report was signed/.test(text), 'the PDF says the AI record is frozen by the signature');
  assert(/Page 1 of \d+/.test(text) && text.includes('Patient ID:'), 'patient ID and page number in the footer');
  execFileSync('pdftoppm', ['-r', '70', '-png', '-f', '1', '-l', '1', file, join(screenshots, '33-report-pdf-page')]);
});
