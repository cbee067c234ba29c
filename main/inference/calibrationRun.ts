import { dirname, extname, join, resolve } from 'node:path';
import { CoreError } from '../api/envelope.js';
import type { AnalysisRepository } from '../db/analysisRepository.js';
import { calibrateLabels, readLabelledSet, DEFAULT_SENSITIVITY_TARGET } from '../findings/calibrate.js';
import { loadDisplayImage } from '../images/loadImage.js';
import type { JobControl } from '../platform/jobRunner.js';
import { ANALYSIS_BATCH } from './analysisPipeline.js';
import type { AnalysisInput } from './analyzer.js';
import type { AnalyzerHost } from './analyzerHost.js';
import type { Pack } from './packRegistry.js';
import { readGrayFile } from './readGrayFile.js';

async function readImageForCalibration(path: string): Promise<AnalysisInput> {
  const ext = extname(path).toLowerCase();
  if (ext === '.dcm' || ext === '') {
    const img = await loadDisplayImage(path, 'dicom');
    return { width: img.width, height: img.height, gray: img.gray, meta: img.meta };
  }
  return { ...(await readGrayFile(path)), meta: {} };
}

/**
 * Scores a labelled set with a pack and stores per-label thresholds with how they were chosen.
 * Returns the stored calibration's id.
 */
export async function runCalibration(
  deps: { analyses: AnalysisRepository; analyzers: AnalyzerHost },
  pack: Pack,
  input: { labelsCsv: string; imagesDir?: string | undefined; split: string; method: 'youden' | 'sensitivity'; targetSensitivity?: number | undefined },
  control: JobControl | null,
): Promise<number> {
  const csv = resolve(input.labelsCsv);
  const imagesDir = resolve(input.imagesDir ?? join(dirname(csv), 'images'));
  const labels = pack.manifest.labels;
  const rows = await readLabelledSet(csv, labels, input.split);
  control?.setTotal(rows.length);
  const analyzer = await deps.analyzers.analyzer(pack);
  const scores: Float32Array[] = [];
  const truth: boolean[][] = [];
  for (let i = 0; i < rows.length; i += ANALYSIS_BATCH) {
    if (control?.signal.aborted) throw new CoreError('cancelled', 'calibration cancelled: nothing was stored');
    const batch = rows.slice(i, i + ANALYSIS_BATCH);
    const images = await Promise.all(
      batch.map((r) =>
        readImageForCalibration(join(imagesDir, r.image)).catch((err: unknown) => {
          throw new CoreError('bad_file', `${join(imagesDir, r.image)} (named in ${csv}): ${err instanceof Error ? err.message : String(err)}`);
        }),
      ),
    );
    const results = await analyzer.analyseBatch(images);
    results.forEach((r, k) => {
      scores.push(r.probabilities);
      truth.push(batch[k]!.truth);
    });
    control?.advance(batch.length);
  }
  const target = input.method === 'sensitivity' ? input.targetSensitivity ?? DEFAULT_SENSITIVITY_TARGET : null;
  const perLabel = calibrateLabels(labels, scores, truth, input.method, target ?? undefined);
  return deps.analyses.saveCalibration({
    packId: pack.manifest.id,
    packVersion: pack.manifest.version,
    method: input.method,
    targetSensitivity: target,
    source: `${csv}${input.split ? ` (split ${input.split})` : ''}, images in ${imagesDir}`,
    imageCount: rows.length,
    labels: perLabel,
  });
}
