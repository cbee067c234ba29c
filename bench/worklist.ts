/**
 * Worklist benchmark: builds a synthetic index of N studies (default 100,000) in a temporary file database through
 * the real import path (IndexRepository.upsertImage), then times a mix of worklist queries against a baseline that
 * answers the same queries by a brute-force scan over all rows held in JS arrays.
 *
 *   npx tsx bench/worklist.ts [--studies 100000] [--runs 40] [--seed 1] [--keep-db /path/index.sqlite]
 *
 * `--keep-db` builds the index at that path and leaves it there (to inspect query plans).
 *
 * Prints p50/p95 per query type and overall, the baseline and the ratio, and ends with the line
 * `worklist: p50=..ms p95=..ms (goal p95<=20ms)`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WorklistQuerySchema, type WorklistQuery, type WorklistQueryParsed } from '../main/api/studies.js';
import { openDatabase } from '../main/db/connection.js';
import { IndexRepository } from '../main/db/indexRepository.js';
import { makeImageRecord } from '../main/db/testFixtures.js';
import { WorklistRepository } from '../main/db/worklistRepository.js';
import { seededRandom } from '../main/platform/seededRandom.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} expects a positive number`);
  return v;
}
const STUDIES = arg('studies', 100_000);
const RUNS = arg('runs', 40);
// A deterministic generator (mulberry32) so runs are comparable.
const rand = seededRandom(arg('seed', 1));
const keepDbAt = process.argv.includes('--keep-db') ? process.argv[process.argv.indexOf('--keep-db') + 1] : undefined;

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const FAMILY = ['Müller', 'Schmidt', 'García', 'Smith', 'Nguyễn', 'Kowalski', 'Łukasiewicz', 'Johansson', 'Øster', 'Rossi', 'Dubois',
  'Ferreira', 'Papadopoulos', 'Yılmaz', 'Novák', 'Jensen', 'Brown', 'Wilson', 'Taylor', 'Anderson', 'Thomas', 'Moore', 'Martin',
  'Jackson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', 'Young', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson',
  'Hill', 'Campbell', 'Mitchell', 'Roberts', 'Carter', 'Phillips', 'Evans', 'Turner', 'Torres', 'Parker', 'Collins', 'Edwards',
  'Stewart', 'Sánchez', 'Morris', 'Rogers', 'Reed', 'Cook', 'Morgan', 'Bell', 'Murphy', 'Bailey', 'Rivera', 'Cooper', 'Richardson',
  'Cox', 'Howard', 'Ward', 'Peterson', 'Gray', 'Ramírez', 'James', 'Watson', 'Brooks', 'Kelly', 'Sanders', 'Price', 'Bennett',
  'Wood', 'Barnes', 'Ross', 'Henderson', 'Coleman', 'Jenkins', 'Perry', 'Powell', 'Long', 'Patterson', 'Hughes', 'Flores',
  'Washington', 'Butler', 'Simmons', 'Foster', 'González', 'Bryant', 'Alexander', 'Russell', 'Griffin', 'Díaz', 'Hayes', 'Weiß'];
const GIVEN = ['Anna', 'Jörg', 'José', 'Zoë', 'Søren', 'Łucja', 'Mary', 'John', 'Linh', 'Ahmet', 'Eva', 'Pierre', 'Ana', 'Piotr',
  'Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Elijah', 'Sophia', 'Lucas', 'Mia', 'Mateo', 'Amelia', 'Hugo', 'Chloé', 'Lars', 'Ines',
  'Björn', 'Agnieszka', 'Giulia', 'Marco', 'Fatma', 'Mehmet', 'Dimitris', 'Eleni', 'Karel', 'Jana', 'Mette'];
const INSTITUTIONS = ['General Hospital', 'Klinikum Nord', 'St. Mary Medical Center', 'Hôpital Saint-Louis', 'University Clinic', 'City Imaging'];
const DESCRIPTIONS = ['CHEST PA', 'CHEST 2 VIEWS', 'CHEST AP PORTABLE', 'THORAX PA/LAT', 'CHEST PA AND LATERAL'];
const LABELS = ['Atelectasis', 'Cardiomegaly', 'Consolidation', 'Edema', 'Effusion', 'Emphysema', 'Fibrosis', 'Hernia',
  'Infiltration', 'Mass', 'Nodule', 'Pleural_Thickening', 'Pneumonia', 'Pneumothorax'];
const STATUSES = ['unread', 'unread', 'unread', 'in_progress', 'reported', 'final', 'final'] as const;

interface Row {
  id: number;
  date: string | null;
  name: string;
  patientId: string;
  importedAt: string;
  maxProbability: number | null;
  triageScore: number | null;
  aiDone: boolean;
  status: string;
  modalities: Set<string>;
  labels: Set<string>;
  words: string[];
  /** Patient ID and accession, lower case: the search text of 3+ characters also matches inside them. */
  ids: string[];
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const wordsOf = (s: string) => fold(s).match(/[\p{L}\p{N}]+/gu) ?? [];

function buildIndex(dbPath: string): { rows: Row[]; seconds: number } {
  const db = openDatabase(dbPath);
  let importTick = Date.UTC(2024, 0, 1);
  const index = new IndexRepository(db, () => new Date((importTick += 1000)));
  const rows: Row[] = [];
  const started = performance.now();
  const BATCH = 2000;
  for (let start = 0; start < STUDIES; start += BATCH) {
    db.transaction(() => {
      for (let n = start; n < Math.min(STUDIES, start + BATCH); n++) {
        // About 3 studies per patient.
        const p = Math.floor(n / 3);
        const name = `${FAMILY[p % FAMILY.length]}, ${GIVEN[Math.floor(p / FAMILY.length) % GIVEN.length]}`;
        const patientId = `PID-${String(p).padStart(7, '0')}`;
        const day = new Date(Date.UTC(2010, 0, 1) + Math.floor(rand() * 16 * 365) * 86_400_000);
        const date = rand() < 0.01 ? null : day.toISOString().slice(0, 10);
        const institution = pick(INSTITUTIONS);
        const description = pick(DESCRIPTIONS);
        const accession = `ACC-${String(n).padStart(8, '0')}`;
        const modality = rand() < 0.55 ? 'CR' : 'DX';
        const refLabels = rand() < 0.1 ? [pick(LABELS)] : [];
        const base = {
          patient: { patientId, name, sex: rand() < 0.5 ? ('F' as const) : ('M' as const) },
          study: { studyInstanceUid: `1.2.826.0.1.3680043.${n}`, date, description, accessionNumber: accession, institution, ageYears: Math.floor(20 + rand() * 70) },
        };
        const views = rand() < 0.3 ? ['PA', 'LAT'] : ['PA'];
        let studyId = 0;
        views.forEach((view, i) => {
          const key = `${n}.${i}`;
          studyId = index.upsertImage(
            makeImageRecord(key, {
              ...base,
              series: { seriesInstanceUid: `1.2.826.0.1.3680043.${n}.${i + 1}`, modality, seriesNumber: i + 1, description: view },
              referenceFindings: i === 0 ? refLabels.map((label) => ({ label, source: 'labels.csv', box: null })) : [],
            }),
          ).studyId;
        });
        let maxProbability: number | null = null;
        let triageScore: number | null = null;
        let aiDone = false;
        const aiLabels: string[] = [];
        const r = rand();
        if (r < 0.4) {
          aiDone = true;
          maxProbability = Math.round(rand() * 1000) / 1000;
          if (maxProbability > 0.5) aiLabels.push(pick(LABELS));
          if (maxProbability > 0.8) aiLabels.push(pick(LABELS));
          triageScore = aiLabels.length ? 1 + Math.round(rand() * 1000) / 1000 : Math.round(maxProbability * 999) / 1000;
          const triage = { topFinding: aiLabels[0] ?? null, calledCount: new Set(aiLabels).size, triageScore };
          index.setStudyAiSummary(studyId, { aiStatus: 'done', maxProbability, positiveLabels: aiLabels, triage });
        } else if (r < 0.45) {
          index.setStudyAiSummary(studyId, { aiStatus: 'queued', maxProbability: null, positiveLabels: [] });
        }
        const status = pick(STATUSES);
        if (status !== 'unread') db.statement('UPDATE studies SET status = ? WHERE id = ?').run(status, studyId);
        rows.push({
          id: studyId,
          date,
          name,
          patientId,
          importedAt: new Date(importTick).toISOString(),
          maxProbability,
          triageScore,
          aiDone,
          status,
          modalities: new Set([modality]),
          labels: new Set([...refLabels, ...aiLabels].map((l) => l.toLowerCase())),
          words: wordsOf([name, patientId, accession, description, views.join(' '), institution].join(' ')),
          ids: [patientId.toLowerCase(), accession.toLowerCase()],
        });
      }
    });
  }
  index.optimize();
  const seconds = (performance.now() - started) / 1000;
  // importedAt must match what the index stored (the clock ticks once per upsert and per AI summary).
  const stored = new Map(
    (db.sqlite.prepare('SELECT id, imported_at FROM studies').all() as Array<{ id: number; imported_at: string }>).map((r) => [r.id, r.imported_at]),
  );
  for (const row of rows) row.importedAt = stored.get(row.id)!;
  db.close();
  return { rows, seconds };
}

/** The baseline: the same query answered by filtering and sorting every row in JS. */
function bruteForce(rows: Row[], q: WorklistQueryParsed): { total: number; ids: number[] } {
  const tokens = q.text ? wordsOf(q.text) : [];
  const whole = q.text?.trim().toLowerCase() ?? '';
  const bySubstring = whole.length >= 3 && !/\s/.test(whole);
  const finding = q.finding?.toLowerCase();
  const hits = rows.filter(
    (r) =>
      (tokens.length === 0 || tokens.every((t) => r.words.some((w) => w.startsWith(t))) || (bySubstring && r.ids.some((id) => id.includes(whole)))) &&
      (q.dateFrom === undefined || (r.date !== null && r.date >= q.dateFrom)) &&
      (q.dateTo === undefined || (r.date !== null && r.date <= q.dateTo)) &&
      (q.modality === undefined || r.modalities.has(q.modality)) &&
      (q.hasAi === undefined || r.aiDone === q.hasAi) &&
      (finding === undefined || r.labels.has(finding)) &&
      (q.status === undefined || r.status === q.status),
  );
  const dir = q.sort.dir === 'asc' ? 1 : -1;
  const cmp = (a: string | number | null, b: string | number | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
  const key: (r: Row) => string | number | null = {
    date: (r: Row) => r.date,
    name: (r: Row) => r.name.toLowerCase(),
    patientId: (r: Row) => r.patientId,
    imported: (r: Row) => r.importedAt,
    abnormality: (r: Row) => r.maxProbability,
    triage: (r: Row) => r.triageScore,
  }[q.sort.field];
  hits.sort((a, b) => {
    if (q.sort.field === 'abnormality' && (a.maxProbability === null) !== (b.maxProbability === null)) return a.maxProbability === null ? 1 : -1;
    if (q.sort.field === 'triage' && (a.triageScore === null) !== (b.triageScore === null)) return a.triageScore === null ? 1 : -1;
    return dir * (cmp(key(a), key(b)) || a.id - b.id);
  });
  return { total: hits.length, ids: hits.slice(q.offset, q.offset + q.limit).map((r) => r.id) };
}

type QueryMaker = () => WorklistQuery;
function queryMix(): Record<string, QueryMaker> {
  const year = () => 2010 + Math.floor(rand() * 15);
  return {
    'default list': () => ({}),
    'text search': () => (rand() < 0.7 ? { text: fold(pick(FAMILY)).slice(0, 2 + Math.floor(rand() * 3)) } : { text: `${pick(FAMILY)} ${pick(GIVEN).slice(0, 2)}` }),
    'date range + modality': () => {
      const y = year();
      return { dateFrom: `${y}-01-01`, dateTo: `${y}-12-31`, modality: rand() < 0.5 ? 'CR' : 'DX' };
    },
    'finding filter': () => ({ finding: pick(LABELS) }),
    'hasAi': () => ({ hasAi: rand() < 0.7 }),
    'abnormality sort': () => ({ sort: { field: 'abnormality', dir: 'desc' } }),
    'triage sort + unread': () => ({ sort: { field: 'triage', dir: 'desc' }, status: 'unread' }),
    'partial ID': () => ({ text: String(Math.floor(rand() * (STUDIES / 3))).padStart(7, '0').slice(2) }),
    'name sort + status': () => ({ sort: { field: 'name', dir: 'asc' }, status: pick(['unread', 'final'] as const) }),
    'deep page': () => ({ offset: Math.floor(STUDIES * (0.9 + rand() * 0.09)), limit: 50 }),
  };
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number) => x.toFixed(x < 10 ? 2 : 1);

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'cxr-bench-worklist-'));
  try {
    const dbPath = keepDbAt ?? join(dir, 'index.sqlite');
    if (keepDbAt) rmSync(keepDbAt, { force: true });
    console.log(`building a synthetic index of ${STUDIES.toLocaleString('en')} studies in ${dbPath} ...`);
    const { rows, seconds } = buildIndex(dbPath);
    console.log(`built in ${seconds.toFixed(1)} s (${Math.round(rows.length / seconds)} studies/s through IndexRepository.upsertImage)`);

    const db = openDatabase(dbPath);
    const worklist = new WorklistRepository(db);
    const mix = queryMix();
    const all: number[] = [];
    const allBase: number[] = [];
    let mismatches = 0;
    console.log(`\n${'query'.padEnd(24)}${'p50'.padStart(9)}${'p95'.padStart(9)}${'base p50'.padStart(11)}${'base p95'.padStart(11)}${'ratio'.padStart(9)}`);
    for (const [name, make] of Object.entries(mix)) {
      const times: number[] = [];
      const base: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const q = WorklistQuerySchema.parse(make());
        let t = performance.now();
        const page = worklist.query(q);
        times.push(performance.now() - t);
        // The baseline is slow: time it on a quarter of the runs.
        if (i % 4 === 0) {
          t = performance.now();
          const expected = bruteForce(rows, q);
          base.push(performance.now() - t);
          if (expected.total !== page.total || expected.ids.join() !== page.items.map((s) => s.id).join()) {
            mismatches++;
            if (mismatches <= 5) console.warn(`  mismatch for ${JSON.stringify(q)}: index total ${page.total}, scan total ${expected.total}`);
          }
        }
      }
      all.push(...times);
      allBase.push(...base);
      const ratio = percentile(base, 50) / percentile(times, 50);
      console.log(
        `${name.padEnd(24)}${ms(percentile(times, 50)).padStart(9)}${ms(percentile(times, 95)).padStart(9)}` +
          `${ms(percentile(base, 50)).padStart(11)}${ms(percentile(base, 95)).padStart(11)}${`${ratio.toFixed(1)}x`.padStart(9)}`,
      );
    }
    db.close();
    const p50 = percentile(all, 50);
    const p95 = percentile(all, 95);
    console.log(
      `${'overall'.padEnd(24)}${ms(p50).padStart(9)}${ms(p95).padStart(9)}${ms(percentile(allBase, 50)).padStart(11)}` +
        `${ms(percentile(allBase, 95)).padStart(11)}${`${(percentile(allBase, 50) / p50).toFixed(1)}x`.padStart(9)}`,
    );
    console.log(`(times in ms; baseline = brute-force scan of all ${rows.length} rows in JS; results compared: ${mismatches} mismatches)`);
    // Timings on a shared machine are only comparable at a similar load.
    console.log(`load average during the run: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
    console.log(`worklist: p50=${ms(p50)}ms p95=${ms(p95)}ms (goal p95<=20ms)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
