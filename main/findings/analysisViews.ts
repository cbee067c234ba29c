import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AnalysisResult } from '../api/analysis.js';
import type { Language } from '../api/common.js';
import type { AnalysisRepository, AnalysisRow } from '../db/analysisRepository.js';
import type { QualityOverrideRepository } from '../db/qualityOverrideRepository.js';
import type { PackRegistry } from '../inference/packRegistry.js';
import { HEATMAP_RENDER_VERSION, renderHeatmapPng } from './heatmap.js';
import type { OperatingPoints } from './operatingPoints.js';
import { presentAnalysis } from './presentAnalysis.js';
import { camPlaneOf } from './camPlane.js';

/**
 * What signed reports froze: the analysis of an image exactly as it was shown when its study's report was signed.
 * Implemented by the report repository and wired in createCore; the analysis views consult it before anything live,
 * so calibrations, new packs or forced re-analyses never change what a signed study shows.
 */
export interface SignedAnalyses {
  signedView(instanceId: number, language: Language): { reportId: number; signedAt: string; result: AnalysisResult } | null;
  signedReportOf(instanceId: number): { reportId: number; signedAt: string } | null;
}

/**
 * How stored analyses are shown, written once: `analysis:get`, report drafts and exports all read an analysis through
 * here, so they present the same findings under the same operating points, with the same heatmaps.
 */
export class AnalysisViews {
  constructor(
    private readonly deps: {
      analyses: AnalysisRepository;
      overrides: QualityOverrideRepository;
      packs: PackRegistry;
      operatingPoints: OperatingPoints;
      dataDir: string;
      signed?: SignedAnalyses;
    },
  ) {}

  /**
   * The newest analysis of an image (by `packId` when given), presented in `language`; null when there is none.
   * For an image of a signed study it is the analysis as signed (marked `signed`), unless another pack is asked for.
   */
  async present(instanceId: number, language: Language, packId?: string): Promise<AnalysisResult | null> {
    const frozen = this.deps.signed?.signedView(instanceId, language);
    if (frozen && (packId === undefined || frozen.result.packId === packId)) {
      // The heatmaps are drawn from the stored row: if it was analysed again since, they would not be what was signed.
      const row = this.deps.analyses.get(frozen.result.analysisId);
      const sameRow = row !== null && row !== undefined && row.createdAt === frozen.result.createdAt;
      const signed = { reportId: frozen.reportId, signedAt: frozen.signedAt };
      // A withheld image froze its reason only: there is nothing else to show for it.
      if (frozen.result.status === 'withheld') return { ...frozen.result, signed };
      return { ...frozen.result, findings: frozen.result.findings.map((f) => (sameRow ? f : { ...f, heatmap: null })), signed };
    }
    return this.presentLive(instanceId, language, packId);
  }

  private async presentLive(instanceId: number, language: Language, packId?: string): Promise<AnalysisResult | null> {
    const row = this.deps.analyses.latestFor(instanceId, packId);
    if (!row) return null;
    const pack = await this.deps.packs.find(row.packId, row.packVersion);
    const points = await this.deps.operatingPoints.inForce(row.packId, row.packVersion, row.labels);
    return presentAnalysis(row, {
      points,
      reviews: this.deps.analyses.reviewsFor(row.id),
      language,
      title: pack?.manifest.title ?? row.packId,
      localisationValidated: pack?.manifest.localisation?.validated === true,
      override: row.qualityOk ? null : this.deps.overrides.get(row.id),
    });
  }

  /**
   * The signed report that froze what an image shows, or null. Decisions on such an image (review, gate override)
   * are refused: the signed findings never change; an addendum is how a reader adds to them.
   */
  signedReportOf(instanceId: number): { reportId: number; signedAt: string } | null {
    return this.deps.signed?.signedReportOf(instanceId) ?? null;
  }

  /** Whether an analysis may be shown: it passed the quality gate, or a reader overrode the gate for it. */
  shown(row: AnalysisRow): boolean {
    return row.qualityOk || this.deps.overrides.get(row.id) !== null;
  }

  /**
   * The RGBA heatmap PNG of one label of an analysis, rendered from the stored CAM on first request and kept under
   * the data folder; null when there is no such analysis, label or CAM, or when the quality gate withheld it.
   */
  async heatmapPng(analysisId: number, label: string): Promise<Buffer | null> {
    const row = this.deps.analyses.get(analysisId);
    const cam = row ? camPlaneOf(row, label) : null;
    if (!row || !cam || !this.shown(row)) return null;
    // The render version is in the path: a heatmap drawn by an earlier version on another scale is never served.
    const file = join(this.deps.dataDir, 'analyses', String(row.id), `heatmap-v${HEATMAP_RENDER_VERSION}`, `${label}.png`);
    const cached = await stat(file).catch(() => null);
    // The row is updated in place when an analysis is forced again: a cache older than the row is stale.
    if (cached && cached.mtime.toISOString() >= row.createdAt) return readFile(file);
    const probability = row.probabilities[row.labels.indexOf(label)] ?? 0;
    const png = await renderHeatmapPng(cam.plane, cam.rows, cam.cols, { width: row.imageWidth, height: row.imageHeight }, probability);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, png);
    return png;
  }
}
