import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreError } from '../api/envelope.js';
import { resourcePaths } from '../api/resources.js';
import type { Annotation } from '../api/annotations.js';
import type { CohortExport, CohortPage } from '../api/cohorts.js';
import type { AnnotationRepository } from '../db/annotationRepository.js';
import type { CohortRepository } from '../db/cohortRepository.js';
import type { PackKey, SearchRepository } from '../db/searchRepository.js';
import type { PackContext, PackContextResolver } from '../search/packContext.js';
import { findingValues } from '../search/similarCases.js';
import { buildCohortSql, CohortUnsupportedError, type BuiltSql } from './cohortSql.js';
import { boxesFromLocalisations, cohortCoco, cohortCsv, type CohortExportRow } from './exportFormats.js';
import { CohortQueryError, formatCohortQuery, parseCohortQuery } from './queryLanguage.js';

export interface CohortDeps {
  repo: SearchRepository;
  cohorts: CohortRepository;
  /** The reader's measurements: exported as reader boxes in COCO. */
  annotations: Pick<AnnotationRepository, 'forInstances'>;
  packs: PackContextResolver;
  dataDir: string;
}

/** Labels the language accepts when nothing was analysed yet (reference labels still work). */
const NIH_LABELS = [
  'Atelectasis', 'Cardiomegaly', 'Effusion', 'Infiltration', 'Mass', 'Nodule', 'Pneumonia', 'Pneumothorax',
  'Consolidation', 'Edema', 'Emphysema', 'Fibrosis', 'Pleural_Thickening', 'Hernia',
];

interface Prepared {
  canonical: string;
  pack: PackKey | null;
  context: PackContext | null;
  built: BuiltSql;
}

async function prepare(deps: CohortDeps, query: string, packId: string | undefined): Promise<Prepared> {
  const pack = deps.packs.choose({ packId });
  if (packId && !pack) throw new CoreError('not_found', `no analyses by pack ${packId} in the index`);
  const context = pack ? await deps.packs.context(pack) : null;
  try {
    const tree = parseCohortQuery(query, { labels: context?.labels ?? NIH_LABELS });
    if (context) deps.cohorts.syncFindings();
    const built = buildCohortSql(tree, {
      findings: context ? deps.cohorts.findingsSource(context.pack, context.thresholds) : null,
    });
    return { canonical: formatCohortQuery(tree), pack, context, built };
  } catch (err) {
    if (err instanceof CohortQueryError) throw new CoreError('invalid_input', `cohort query: ${err.message}`, { column: err.column });
    if (err instanceof CohortUnsupportedError) throw new CoreError('unsupported', `cohort query: ${err.message}`);
    throw err;
  }
}

/** `cohorts:query`. */
export async function queryCohort(deps: CohortDeps, input: { query: string; packId?: string; offset: number; limit: number }): Promise<CohortPage> {
  const p = await prepare(deps, input.query, input.packId);
  const { total, ids } = deps.cohorts.query(p.built, { offset: input.offset, limit: input.limit });
  const details = deps.repo.details(ids, p.pack);
  return {
    query: p.canonical,
    pack: p.pack,
    total,
    offset: input.offset,
    items: ids.flatMap((id) => {
      const d = details.get(id);
      if (!d) return [];
      return [
        {
          instanceId: d.instanceId,
          studyId: d.studyId,
          patientId: d.patientId,
          studyDate: d.studyDate,
          sex: d.sex,
          ageYears: d.ageYears,
          viewPosition: d.viewPosition,
          thumbnail: resourcePaths.thumbnail(d.instanceId),
          referenceLabels: [...new Set(d.referenceFindings.map((r) => r.label))],
          findings: p.context ? findingValues(d, p.context) : [],
        },
      ];
    }),
  };
}


/** The names reader measurements are exported under (COCO categories). */
const MEASUREMENT_NAMES: Record<Annotation['kind'], string> = {
  ruler: 'reader ruler',
  angle: 'reader angle',
  ellipse: 'reader ellipse ROI',
  ctr: 'reader cardiothoracic ratio',
};

/** A reader measurement as a box: the bounding box of its points (an ellipse's is its own box), at least 1 px a side. */
function readerBox(a: Annotation): CohortExportRow['readerBoxes'][number] {
  const xs = a.points.map((pt) => pt[0]);
  const ys = a.points.map((pt) => pt[1]);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { label: MEASUREMENT_NAMES[a.kind], box: { x, y, w: Math.max(1, Math.max(...xs) - x), h: Math.max(1, Math.max(...ys) - y) }, by: a.author, at: a.createdAt };
}

/** `cohorts:export`: writes the file under `<dataDir>/exports/cohorts/` and records it. */
export async function exportCohort(deps: CohortDeps, input: { query: string; packId?: string; format: 'csv' | 'coco' }): Promise<CohortExport> {
  const p = await prepare(deps, input.query, input.packId);
  const ids = deps.cohorts.allIds(p.built);
  const notes: string[] = [];
  if (!p.context) notes.push('nothing has been analysed by a model pack, so no AI probabilities or CAM boxes were exported');
  const labels = p.context?.labels ?? NIH_LABELS;
  const rows: CohortExportRow[] = [];
  for (let start = 0; start < ids.length; start += 500) {
    const details = deps.repo.details(ids.slice(start, start + 500), p.pack);
    const measured = deps.annotations.forInstances(ids.slice(start, start + 500));
    for (const id of ids.slice(start, start + 500)) {
      const d = details.get(id);
      if (!d) continue;
      const probabilities: Record<string, number> = {};
      if (p.context) for (const f of findingValues(d, p.context)) probabilities[f.label] = f.probability;
      rows.push({
        instanceId: d.instanceId,
        studyId: d.studyId,
        patientId: d.patientId,
        studyDate: d.studyDate,
        sex: d.sex,
        ageYears: d.ageYears,
        viewPosition: d.viewPosition,
        filePath: d.filePath,
        thumbnail: resourcePaths.thumbnail(d.instanceId),
        width: d.width,
        height: d.height,
        referenceFindings: d.referenceFindings,
        probabilities,
        thresholds: p.context?.thresholds ?? {},
        aiBoxes: d.analysis && Object.keys(probabilities).length ? boxesFromLocalisations(d.analysis.localisations) : {},
        readerBoxes: (measured.get(id) ?? []).map(readerBox),
      });
    }
  }
  const createdAt = new Date().toISOString();
  const stamp = createdAt.replace(/[-:]/g, '').replace(/\..*/, '');
  const fileName = `cohort-${stamp}.${input.format === 'csv' ? 'csv' : 'json'}`;
  let body: string;
  let boxes = 0;
  const measurements = rows.reduce((n, r) => n + r.readerBoxes.length, 0);
  if (input.format === 'csv') {
    body = cohortCsv(rows, labels);
    if (measurements) notes.push(`${measurements} reader measurements are not in the CSV: export COCO for them`);
  } else {
    const doc = cohortCoco(rows, labels, { query: p.canonical, pack: p.pack ? `${p.pack.packId}@${p.pack.packVersion}` : null, createdAt });
    boxes = doc.annotations.length;
    body = JSON.stringify(doc, null, 1);
  }
  const dir = join('exports', 'cohorts');
  mkdirSync(join(deps.dataDir, dir), { recursive: true });
  // The id is known only after recording; write to a name with the timestamp, record, then answer by id.
  const relative = join(dir, fileName);
  writeFileSync(join(deps.dataDir, relative), body);
  const exportId = deps.cohorts.recordExport({ query: p.canonical, pack: p.pack, format: input.format, path: relative, rowCount: rows.length });
  return {
    exportId,
    format: input.format,
    query: p.canonical,
    rows: rows.length,
    boxes,
    path: resourcePaths.cohortExport(exportId, fileName),
    notes,
  };
}

/** The documented language, for `cohorts:syntax` and `cxr cohort --help`. */
export const COHORT_SYNTAX = `Cohort queries: conditions joined with AND, OR, NOT and parentheses (AND binds tighter than OR).
  Effusion>0.6          AI probability of a finding (latest analysis by the active pack); = != > >= < <=, 0..1
  Effusion | ai:Effusion  AI called at a validated operating point (site calibration or shipped with provenance; never for a label not calibrated)
  ref:Cardiomegaly      reference (ground-truth) label of the image; ref:normal = no reference finding
  sex=F  age>=60  date>=2020-01-01  view=PA  modality=CR  patient=ID  status=final
  report:"pleural effusion"  phrase in the study's report text (full-text index)
Values with spaces go in double quotes. Example:
  Effusion>0.6 AND sex=F AND age>=60 AND ref:Cardiomegaly AND date>=2020-01-01`;

export async function cohortSyntax(deps: CohortDeps, packId: string | undefined) {
  const pack = deps.packs.choose({ packId });
  const context = pack ? await deps.packs.context(pack) : null;
  return {
    text: COHORT_SYNTAX,
    labels: context?.labels ?? NIH_LABELS,
    fields: ['sex', 'age', 'date', 'view', 'modality', 'patient', 'status'],
  };
}
