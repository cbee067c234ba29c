import type { AnalysisResult, Finding } from '../api/analysis.js';
import { resourcePaths } from '../api/resources.js';
import type { AnalysisRow, FindingReview } from '../db/analysisRepository.js';
import type { QualityReport } from '../inference/quality.js';
import { camPlaneOf } from './camPlane.js';
import { camContours } from './contours.js';
import type { Localisation } from './localize.js';
import { structuredFinding, type StructuredFinding } from './structuredFinding.js';
import { findingsText, findingLocationText } from './text/findingsText.js';
import type { Language } from './text/phrases.js';
import type { LabelThreshold } from './thresholds.js';

export const AI_DISCLAIMER =
  'AI-generated findings from a decision-support model: not a diagnosis. Every finding must be checked against the image by a qualified reader.';

/** The structured findings of a stored analysis under the thresholds in force now. */
export function findingsOf(
  row: AnalysisRow,
  thresholds: Record<string, LabelThreshold>,
  options: { localisationValidated: boolean } = { localisationValidated: false },
): StructuredFinding[] {
  const locs = row.localisations as Record<string, Localisation>;
  return row.labels.map((label, k) =>
    structuredFinding(label, row.probabilities[k]!, thresholds[label] ?? { threshold: 0.5, source: 'default' }, locs[label] ?? null, options),
  );
}

/**
 * What `analysis:get` answers: the stored analysis with findings decided against the current thresholds, location
 * words and sentences in the requested language, heatmap URLs, reviews, quality flags and the AI disclaimer.
 * When the quality gate raised a flag, findings are listed but none is called positive, and the text says why.
 */
export function presentAnalysis(
  row: AnalysisRow,
  ctx: {
    thresholds: Record<string, LabelThreshold>;
    reviews: FindingReview[];
    language: Language;
    title: string;
    calibrationId: number | null;
    /** The pack's manifest says its CAM localisation was validated: only then may the text name places. */
    localisationValidated: boolean;
  },
): AnalysisResult {
  const quality = row.quality as QualityReport;
  const withheld = !row.qualityOk;
  const structured = findingsOf(row, ctx.thresholds, { localisationValidated: ctx.localisationValidated }).map((f) => (withheld ? { ...f, positive: false, certainty: null, severity: null } : f));
  const text = findingsText(structured, {
    language: ctx.language,
    model: ctx.title,
    version: row.packVersion,
    ...(withheld ? { withheldCodes: quality.flags.map((f) => f.code) } : {}),
  });
  const sentenceOf = new Map(text.sentences.filter((s) => s.label).map((s) => [s.label!, s.text]));
  const reviews = new Map(ctx.reviews.map((r) => [r.label, r]));
  const findings: Finding[] = structured.map((f) => {
    const loc = f.localisation;
    const review = reviews.get(f.label);
    const cam = camPlaneOf(row, f.label);
    return {
      label: f.label,
      probability: f.probability,
      threshold: f.threshold,
      thresholdSource: f.thresholdSource,
      positive: f.positive,
      certainty: f.certainty,
      severity: f.severity,
      location: f.place.stated
        ? { stated: true, side: f.place.place.side, site: f.place.place.site, reason: null }
        : { stated: false, side: null, site: null, reason: f.place.reason },
      extent: loc?.extent ?? null,
      organ: f.organ,
      boxes: loc?.boxes ?? [],
      peak: loc?.peak ?? null,
      contours: cam ? camContours(cam.plane, cam.rows, cam.cols, { width: row.imageWidth, height: row.imageHeight }) : [],
      locationText: findingLocationText(f, ctx.language),
      sentence: sentenceOf.get(f.label) ?? null,
      heatmap: row.cam ? resourcePaths.heatmap(row.id, f.label) : null,
      review: review ? { decision: review.decision, text: review.text, reviewedAt: review.reviewedAt } : null,
    };
  });
  return {
    analysisId: row.id,
    instanceId: row.instanceId,
    packId: row.packId,
    packVersion: row.packVersion,
    provider: row.provider,
    createdAt: row.createdAt,
    inferenceMs: row.inferenceMs,
    totalMs: row.totalMs,
    imageSize: { width: row.imageWidth, height: row.imageHeight },
    quality: { ok: row.qualityOk, flags: quality.flags },
    findingsWithheld: withheld,
    lungFieldSource: row.lungFieldSource === 'template' ? 'template' : 'image',
    calibrationId: ctx.calibrationId,
    findings,
    text: { language: text.language, header: text.header, sentences: text.sentences, details: text.details },
    aiGenerated: true,
    disclaimer: AI_DISCLAIMER,
  };
}
