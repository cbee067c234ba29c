import type { AnalysisResult, Finding } from '../api/analysis.js';
import { resourcePaths } from '../api/resources.js';
import type { AnalysisRow, FindingReview } from '../db/analysisRepository.js';
import type { QualityOverride } from '../db/qualityOverrideRepository.js';
import { anatomyRule } from './anatomyRules.js';
import { camPlaneOf } from './camPlane.js';
import { camContours } from './contours.js';
import type { Localisation } from './localize.js';
import { decidePlace } from './place.js';
import type { OperatingPointSet } from './operatingPoints.js';
import { structuredFinding, type StructuredFinding } from './structuredFinding.js';
import { findingsText, findingLocationText } from './text/findingsText.js';
import type { Language } from './text/phrases.js';

export const AI_DISCLAIMER =
  'AI-generated findings from a decision-support model: not a diagnosis. Every finding must be checked against the image by a qualified reader.';

/**
 * The structured findings of a stored analysis under the operating points in force now: only labels with a
 * validated operating point are here (the only ones that can be called, stated as negatives or written about); the
 * others are "not calibrated" and never reach the text.
 */
export function findingsOf(
  row: AnalysisRow,
  thresholds: Record<string, number>,
  options: { localisationValidated: boolean; sources?: Record<string, 'calibration' | 'pack'> } = { localisationValidated: false },
): StructuredFinding[] {
  const locs: Record<string, Localisation> = row.localisations;
  return row.labels.flatMap((label, k) => {
    const t = thresholds[label];
    if (t === undefined) return [];
    const source = options.sources?.[label] ?? 'calibration';
    return [structuredFinding(label, row.probabilities[k]!, { threshold: t, source }, locs[label] ?? null, { localisationValidated: options.localisationValidated })];
  });
}

/**
 * What `analysis:get` answers. An image the quality gate stopped, and no reader overrode, gets no findings at all —
 * no probability, heatmap, outline or sentence — only the one line saying why. Otherwise every label is listed with
 * its probability; only labels with a validated operating point can be called, have location words or a sentence.
 */
export function presentAnalysis(
  row: AnalysisRow,
  ctx: {
    points: OperatingPointSet;
    reviews: FindingReview[];
    language: Language;
    title: string;
    /** The pack's manifest says its CAM localisation was validated: only then may the text name places. */
    localisationValidated: boolean;
    override: QualityOverride | null;
  },
): AnalysisResult {
  const quality = row.quality;
  const base = {
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
    aiGenerated: true as const,
    disclaimer: AI_DISCLAIMER,
  };
  const textOptions = { language: ctx.language, model: ctx.title, version: row.packVersion };
  if (!row.qualityOk && !ctx.override) {
    const text = findingsText([], { ...textOptions, withheldCodes: quality.flags.map((f) => f.code) });
    return {
      ...base,
      status: 'withheld',
      withheld: { reason: text.sentences[0]!.text, flags: quality.flags },
      text: { language: text.language, header: text.header, sentences: text.sentences, details: text.details },
    };
  }
  const sources: Record<string, 'calibration' | 'pack'> = {};
  for (const [label, p] of Object.entries(ctx.points.points)) if (p.status === 'validated') sources[label] = p.source;
  const called = findingsOf(row, ctx.points.thresholds, { localisationValidated: ctx.localisationValidated, sources });
  const byLabel = new Map(called.map((f) => [f.label, f]));
  // Only findings with a validated operating point reach the text: none validated gives the text's own statement.
  const text = findingsText(called, textOptions);
  const sentenceOf = new Map(text.sentences.filter((s) => s.label).map((s) => [s.label!, s.text]));
  const reviews = new Map(ctx.reviews.map((r) => [r.label, r]));
  const locs: Record<string, Localisation> = row.localisations;
  const findings: Finding[] = row.labels.map((label, k) => {
    const point = ctx.points.points[label] ?? { status: 'not_calibrated' as const, reason: 'no operating point for this label' };
    const f = byLabel.get(label);
    const loc = f?.localisation ?? locs[label] ?? null;
    const review = f ? reviews.get(label) : undefined;
    const cam = camPlaneOf(row, label);
    return {
      label,
      probability: row.probabilities[k]!,
      operatingPoint: point,
      threshold: f ? f.threshold : null,
      thresholdSource: f ? f.thresholdSource : null,
      positive: f?.positive ?? false,
      certainty: f?.certainty ?? null,
      severity: f?.severity ?? null,
      location: (() => {
        // A label not calibrated has no sentence, but its localisation facts are the same as for a called one.
        const decided = f ? f.place : decidePlace(anatomyRule(label), loc);
        const place = decided.stated && !ctx.localisationValidated ? ({ stated: false, reason: 'localisation_not_validated' } as const) : decided;
        return place.stated
          ? { stated: true, side: place.place.side, site: place.place.site, reason: null }
          : { stated: false, side: null, site: null, reason: place.reason };
      })(),
      extent: loc?.extent ?? null,
      organ: f?.organ ?? anatomyRule(label).organ,
      boxes: loc?.boxes ?? [],
      peak: loc?.peak ?? null,
      contours: cam ? camContours(cam.plane, cam.rows, cam.cols, { width: row.imageWidth, height: row.imageHeight }) : [],
      locationText: f ? findingLocationText(f, ctx.language) : null,
      sentence: sentenceOf.get(label) ?? null,
      heatmap: row.cam ? resourcePaths.heatmap(row.id, label) : null,
      review: review ? { decision: review.decision, text: review.text, reviewedAt: review.reviewedAt } : null,
    };
  });
  return {
    ...base,
    status: 'shown',
    override: ctx.override ? { by: ctx.override.actor, reason: ctx.override.reason, at: ctx.override.at, flags: quality.flags } : null,
    lungFieldSource: row.lungFieldSource === 'template' ? 'template' : 'image',
    operatingPoints: { calibrationId: ctx.points.calibrationId, version: ctx.points.version },
    findings,
    text: { language: text.language, header: text.header, sentences: text.sentences, details: text.details },
  };
}
