/**
 * Findings text over the 200 NIH images with the demo pack: counts each impossible-sentence pattern of issue 10
 * (main/findings/text/sentenceAudit.ts) in the text `analysis:get` serves, in all four languages.
 *   npx tsx bench/findingsText.ts
 *
 * 1. Import the images, calibrate on the `calibration` split (so thresholds are validated and negatives may be
 *    stated), analyse all, and audit every served text as the reader gets it.
 * 2. Stress: every label of every image written as if it were called (probability raised to its threshold) and as if
 *    the pack's localisation were validated, so the rules meet every map the model drew, not only the few findings
 *    it calls (the demo pack's localisation is not validated: its served text names no place at all).
 * Prints the counts per pattern (all should be 0), how many called findings name a place, the side balance, and
 * why places were not named. The baseline for comparison is the issue's own count on the previous text.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForJob } from '../main/api/waitForJob.js';
import type { AnalysisResult } from '../main/api/analysis.js';
import { createCore } from '../main/createCore.js';
import { openDatabase } from '../main/db/connection.js';
import { createRepositories } from '../main/db/repositories.js';
import { OperatingPoints } from '../main/findings/operatingPoints.js';
import { findingsOf } from '../main/findings/presentAnalysis.js';
import { structuredFinding, type StructuredFinding } from '../main/findings/structuredFinding.js';
import { findingsText, type FindingsText } from '../main/findings/text/findingsText.js';
import { LANGUAGES } from '../main/findings/text/phrases.js';
import { auditText, BAD_PATTERNS, emptyAudit, type TextAudit } from '../main/findings/text/sentenceAudit.js';
import { AiSettings } from '../main/inference/aiSettings.js';
import { PackRegistry } from '../main/inference/packRegistry.js';
import { hasShared, projectRoot, sharedPath } from '../test/helpers/shared.js';

if (!hasShared) {
  console.log('bench/findingsText: ../shared (images) not found; nothing to measure.');
  process.exit(0);
}

const PACK = 'cxr14-densenet121-demo';
const dataDir = mkdtempSync(join(tmpdir(), 'cxr-bench-text-'));
process.env.CXR_PROVIDER = 'cpu';
const modelsDirs = [join(projectRoot, 'models')];
const core = createCore({ dataDir, modelsDirs }, { allowMissing: true });

function printAudit(title: string, audits: Record<string, TextAudit>): number {
  console.log(`\n${title}`);
  console.log(`  ${'pattern'.padEnd(44)} ${LANGUAGES.map((l) => l.padStart(6)).join('')}`);
  let total = 0;
  for (const p of BAD_PATTERNS) {
    const row = LANGUAGES.map((l) => audits[l]!.counts[p]);
    total += row.reduce((a, b) => a + b, 0);
    console.log(`  ${p.padEnd(44)} ${row.map((n) => String(n).padStart(6)).join('')}`);
  }
  const en = audits.en!;
  console.log(`  called findings with a sentence: ${en.called}; naming a place: ${en.placed}`);
  const sides = Object.entries(en.sides).map(([label, s]) => `${label} R${s.right}/L${s.left}/both${s.both}`);
  console.log(`  sides named (patient's right / left / both): ${sides.length ? sides.join(', ') : 'none'}`);
  return total;
}

try {
  await core.api['models:setSettings']({ activePackId: PACK, provider: 'cpu' });
  const imported = await core.api['import:start']({ paths: [sharedPath('data', 'nih-cxr14', 'images')] });
  await waitForJob(core, imported.id);
  const cal = await core.api['calibration:run']({ labelsCsv: sharedPath('data', 'nih-cxr14', 'labels.csv'), split: 'calibration', method: 'youden' });
  await waitForJob(core, cal.id);
  const t0 = performance.now();
  const analysed = await core.api['analysis:start']({ all: true, force: false });
  const job = await waitForJob(core, analysed.id);
  console.log(`pack ${PACK}; ${job.message ?? job.state} in ${((performance.now() - t0) / 1000).toFixed(0)} s; thresholds from calibration on the calibration split`);

  // The structured findings behind each text, read the way analysis:get reads them.
  const db = openDatabase(join(dataDir, 'index.sqlite'));
  const repos = createRepositories(db);
  const packs = new PackRegistry(modelsDirs, new AiSettings(repos.settings));
  const points = new OperatingPoints(repos.analyses, packs);
  const ids = db.sqlite.prepare('SELECT id FROM instances ORDER BY id').pluck().all() as number[];
  const served: Record<string, TextAudit> = Object.fromEntries(LANGUAGES.map((l) => [l, emptyAudit()]));
  const stress: Record<string, TextAudit> = Object.fromEntries(LANGUAGES.map((l) => [l, emptyAudit()]));
  const reasons = new Map<string, number>();
  let texts = 0;
  let withheld = 0;
  for (const id of ids) {
    const row = repos.analyses.latestFor(id);
    if (!row) continue;
    const op = await points.inForce(row.packId, row.packVersion, row.labels);
    const pack = await packs.find(row.packId, row.packVersion);
    const findings = findingsOf(row, op.thresholds, { localisationValidated: pack?.manifest.localisation?.validated === true });
    for (const language of LANGUAGES) {
      const r = (await core.api['analysis:get']({ instanceId: id, language })) as AnalysisResult;
      if (language === 'en' && r.status === 'withheld') withheld++;
      const text: FindingsText = { language, aiGenerated: true, header: r.text.header, sentences: r.text.sentences, details: r.text.details };
      const shown = r.status === 'withheld' ? findings.map((f) => ({ ...f, positive: false })) : findings;
      auditText(served[language]!, shown, text);
      texts++;
      // Every map as if its finding were called, and as if the pack's localisation were validated: the rules meet
      // every map the model drew.
      const forced: StructuredFinding[] = findings.map((f) =>
        structuredFinding(f.label, Math.max(f.probability, f.threshold), { threshold: f.threshold, source: f.thresholdSource }, f.localisation, {
          localisationValidated: true,
        }),
      );
      auditText(stress[language]!, forced, findingsText(forced, { language, model: 'bench', version: row.packVersion }));
      if (language === 'en') for (const f of forced) if (!f.place.stated) reasons.set(f.place.reason, (reasons.get(f.place.reason) ?? 0) + 1);
    }
  }
  db.close();
  const a = printAudit(`served text: ${ids.length} images × ${LANGUAGES.length} languages = ${texts} texts (${withheld} images withheld by the quality gate)`, served);
  const b = printAudit(`stress: all ${ids.length * 14} maps written as called findings with places allowed, ${LANGUAGES.length} languages`, stress);
  console.log(`  why no place was named (stress, en): ${[...reasons].sort((x, y) => y[1] - x[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  console.log(`\nfindingsText: ${a} impossible sentences in ${texts} served texts, ${b} in the stress set (issue baseline: infiltrate right 171 / left 18, and each pattern > 0)`);
} finally {
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });
}
