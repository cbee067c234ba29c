import type { AnalysisResult, Finding } from '../api/analysis.js';
import type { AiImageUse, AiLabelUse, ReportAiFinding, ReportAiUse } from '../api/reports.js';
import type { PackInfo } from './reportSources.js';

/** How the report names the operating points an analysis was presented with. */
export function thresholdVersionOf(result: AnalysisResult): string {
  // A withheld image was shown no operating points at all; a shown one names the set the audit names.
  return result.status === 'shown' ? result.operatingPoints.version : 'none (withheld by the quality gate)';
}

/** The side of a called finding as the text states it (only when the localisation is validated), else null. */
export function sideOf(f: Pick<Finding, 'location'>): 'right' | 'left' | 'bilateral' | null {
  if (!f.location.stated || !f.location.side) return null;
  return f.location.side === 'both' ? 'bilateral' : f.location.side;
}

/**
 * One analysed image as the reader saw it: every label with its probability and threshold, which were called, the
 * sentence shown for each call, and what the reader decided. When the quality gate withheld the findings, nothing
 * was called and the reason is what was shown.
 */
export function aiImageUse(result: AnalysisResult, pack: PackInfo | null): AiImageUse {
  const withheld = result.status === 'withheld' ? result.withheld.reason : null;
  const findings = result.status === 'shown' ? result.findings : [];
  const labels: AiLabelUse[] = findings.map((f) => {
    const called = f.positive;
    const decision = f.review?.decision ?? 'unreviewed';
    return {
      label: f.label,
      probability: Math.min(1, Math.max(0, f.probability)),
      threshold: f.threshold === null ? null : Math.min(1, Math.max(0, f.threshold)),
      thresholdSource: f.operatingPoint.status === 'validated' ? `${f.operatingPoint.source}: ${f.operatingPoint.provenance}` : 'not calibrated',
      called,
      certainty: called ? f.certainty : null,
      laterality: called ? sideOf(f) : null,
      shownText: called ? f.sentence : null,
      decision,
      readerText: decision === 'edited' ? (f.review?.text ?? null) : null,
    };
  });
  return {
    instanceId: result.instanceId,
    analysisId: result.analysisId,
    packId: result.packId,
    packVersion: result.packVersion,
    packTitle: pack?.title ?? result.packId,
    intendedUse: pack?.intendedUse ?? '',
    analysedAt: result.createdAt,
    thresholdVersion: thresholdVersionOf(result),
    withheld,
    labels,
    details: result.text.details ? { title: result.text.details.title, lines: result.text.details.lines.map((l) => l.text) } : null,
  };
}

/** The live record for a study: what the AI shows now for each analysed image (frozen later, at signing). */
export async function aiUseOf(
  results: readonly AnalysisResult[],
  packOf: (packId: string, packVersion: string) => Promise<PackInfo | null>,
  imagesInStudy: number,
): Promise<ReportAiUse> {
  const images: AiImageUse[] = [];
  for (const r of results) images.push(aiImageUse(r, await packOf(r.packId, r.packVersion)));
  return { frozenAt: null, imagesInStudy, images };
}

/**
 * For reports signed before the AI record existed (schema < 0900): all that is known is the findings the draft took
 * in, so the record says only that, frozen at the signing time.
 */
export function legacyAiUse(findings: readonly ReportAiFinding[], signedAt: string | null, imagesInStudy: number): ReportAiUse {
  const byImage = new Map<string, ReportAiFinding[]>();
  for (const f of findings) {
    const key = `${f.instanceId}\u0000${f.modelPack}\u0000${f.modelVersion}`;
    byImage.set(key, [...(byImage.get(key) ?? []), f]);
  }
  return {
    frozenAt: signedAt,
    imagesInStudy,
    images: [...byImage.values()].map((fs) => ({
      instanceId: fs[0]!.instanceId,
      analysisId: null,
      packId: fs[0]!.modelPack,
      packVersion: fs[0]!.modelVersion,
      packTitle: fs[0]!.modelPack,
      intendedUse: '',
      analysedAt: '',
      thresholdVersion: fs[0]!.thresholdVersion,
      withheld: null,
      labels: fs.map((f) => ({
        label: f.label,
        probability: f.probability,
        threshold: f.threshold,
        thresholdSource: 'recorded',
        called: true,
        certainty: f.certainty ?? null,
        laterality: f.laterality ?? null,
        shownText: f.decision === 'accepted' ? f.text : null,
        decision: f.decision,
        readerText: f.decision === 'edited' ? f.text : null,
      })),
    })),
  };
}

/** A finding the reader kept (accepted or edited), with the image and pack it came from. */
export interface KeptFinding extends AiLabelUse {
  instanceId: number | null;
  packId: string;
  packVersion: string;
  thresholdVersion: string;
  /** The words that went into the report: the reader's for an edit, else the sentence shown. */
  text: string;
}

/** The findings the reader accepted or edited: the AI output the report stands behind. */
export function keptFindings(ai: ReportAiUse): KeptFinding[] {
  return ai.images.flatMap((img) =>
    img.labels
      .filter((l) => l.decision === 'accepted' || l.decision === 'edited')
      .map((l) => ({
        ...l,
        instanceId: img.instanceId,
        packId: img.packId,
        packVersion: img.packVersion,
        thresholdVersion: img.thresholdVersion,
        text: (l.decision === 'edited' ? l.readerText : l.shownText) ?? l.label.replace(/_/g, ' '),
      })),
  );
}

/** The packs behind the record, each once, in order of appearance. */
export function aiPacks(ai: ReportAiUse): Array<{ packId: string; packVersion: string; packTitle: string; intendedUse: string; thresholdVersion: string }> {
  const seen = new Map<string, { packId: string; packVersion: string; packTitle: string; intendedUse: string; thresholdVersion: string }>();
  for (const i of ai.images) {
    const key = `${i.packId}\u0000${i.packVersion}\u0000${i.thresholdVersion}`;
    if (!seen.has(key)) seen.set(key, { packId: i.packId, packVersion: i.packVersion, packTitle: i.packTitle, intendedUse: i.intendedUse, thresholdVersion: i.thresholdVersion });
  }
  return [...seen.values()];
}
