import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { AnalysisResult } from '../api/analysis.js';
import type { ReportLanguage } from '../api/reports.js';
import type { StudyDetail } from '../api/studies.js';
import type { CoreContext } from '../core/context.js';
import { IndexRepository } from '../db/indexRepository.js';
import { StudyRepository } from '../db/studyRepository.js';
import { renderHeatmapPng } from '../findings/heatmap.js';
import { presentAnalysis } from '../findings/presentAnalysis.js';
import { analysisRuntime } from '../inference/analysisRuntime.js';

/**
 * What the report service reads from the other domains: the study (index), the AI result of an image with the
 * reader's reviews (analysis), and PNG thumbnails. An interface so the service can be tested with plain data and
 * so the seams to the index and AI domains are in one place.
 */
export interface ReportSources {
  /** @throws CoreError('not_found') */
  study(studyId: number): StudyDetail;
  /** The latest analysis of an image presented in `language` (as `analysis:get` answers), or null. */
  analysis(instanceId: number, language: ReportLanguage): Promise<AnalysisResult | null>;
  /** The image's thumbnail PNG, or null. */
  thumbnailPng(instanceId: number): Promise<Buffer | null>;
  /** The label's heatmap blended over the image's thumbnail, or null when the analysis kept no CAM. */
  heatmapPng(analysisId: number, label: string, instanceId: number): Promise<Buffer | null>;
}

/** The sources backed by the index and analysis repositories of this core. */
export function defaultReportSources(ctx: CoreContext): ReportSources {
  const studies = new StudyRepository(ctx.db);
  const index = new IndexRepository(ctx.db);
  const thumbnailPng = async (instanceId: number) => {
    const file = index.instanceFile(instanceId);
    return file ? readFile(join(ctx.config.dataDir, file.thumbnailPath)).catch(() => null) : null;
  };
  return {
    study: (studyId) => studies.get(studyId),
    async analysis(instanceId, language) {
      // The same presentation `analysis:get` answers (thresholds in force, reviews, sentences in the language).
      const rt = analysisRuntime(ctx);
      const row = rt.repo.latestFor(instanceId);
      if (!row) return null;
      const pack = await rt.packIfInstalled(row.packId, row.packVersion);
      const { thresholds, calibrationId } = rt.thresholds(row.labels, row.packId, row.packVersion, pack?.manifest ?? null);
      return presentAnalysis(row, { thresholds, reviews: rt.repo.reviewsFor(row.id), language, title: pack?.manifest.title ?? row.packId, calibrationId });
    },
    thumbnailPng,
    async heatmapPng(analysisId, label, instanceId) {
      const row = analysisRuntime(ctx).repo.get(analysisId);
      if (!row?.cam || !row.camRows || !row.camCols) return null;
      const k = row.labels.indexOf(label);
      if (k < 0) return null;
      const plane = row.camRows * row.camCols;
      const heat = await renderHeatmapPng(row.cam.subarray(k * plane, (k + 1) * plane), row.camRows, row.camCols, { width: row.imageWidth, height: row.imageHeight });
      return blendOver(heat, await thumbnailPng(instanceId));
    },
  };
}

/** The RGBA heatmap over the greyscale image (resized to the heatmap), or over black when there is no image. */
export async function blendOver(heatmapRgba: Buffer, basePng: Buffer | null): Promise<Buffer> {
  const { width, height } = await sharp(heatmapRgba).metadata();
  const base = basePng
    ? sharp(basePng).resize(width, height, { fit: 'fill' }).removeAlpha()
    : sharp({ create: { width: width!, height: height!, channels: 3, background: { r: 0, g: 0, b: 0 } } });
  return base.composite([{ input: heatmapRgba }]).png().toBuffer();
}
