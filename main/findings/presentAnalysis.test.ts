import { describe, expect, it } from 'vitest';
import { AnalysisResultSchema, type AnalysisResult, type ShownAnalysis } from '../api/analysis.js';
import { describeOperatingPoints } from './operatingPoints.js';
import type { AnalysisRow } from '../db/analysisRepository.js';
import { localisation, region } from './localisationFixture.js';
import { presentAnalysis } from './presentAnalysis.js';

/** A stored analysis of two labels: an effusion called in the right base, a nodule not called. */
function row(): AnalysisRow {
  const cam = new Float32Array(2 * 49).fill(-2);
  cam[5 * 7 + 1] = 5;
  cam[49 + 2 * 7 + 5] = 4;
  return {
    id: 7,
    createdAt: '2026-01-01T00:00:00.000Z',
    instanceId: 3,
    packId: 'pack',
    packVersion: '1',
    labels: ['Effusion', 'Nodule'],
    probabilities: Float32Array.from([0.9, 0.1]),
    logits: null,
    embedding: null,
    cam,
    camRows: 7,
    camCols: 7,
    imageWidth: 1024,
    imageHeight: 1024,
    quality: { ok: true, flags: [], stats: {} },
    qualityOk: true,
    localisations: { Effusion: localisation([region()], {}, 0.06), Nodule: localisation([region({ zone: 'upper' })]) },
    lungFieldSource: 'image',
    provider: 'cpu',
    inferenceMs: 1,
    totalMs: 2,
  };
}

const ctx = (localisationValidated: boolean) => ({
  points: describeOperatingPoints(
    {
      Effusion: { status: 'validated', threshold: 0.4, source: 'calibration', provenance: 'site calibration #1' },
      Nodule: { status: 'validated', threshold: 0.3, source: 'calibration', provenance: 'site calibration #1' },
    },
    1,
    'demo 1',
  ),
  reviews: [],
  language: 'en' as const,
  title: 'Demo',
  localisationValidated,
  override: null,
});

const shown = (r: AnalysisResult): ShownAnalysis => {
  if (r.status !== 'shown') throw new Error('expected a shown analysis');
  return r;
};

describe('presenting a stored analysis', () => {
  it('gives the clinical text in words, the numbers in the details, the place and the contours of each finding', () => {
    const r = shown(AnalysisResultSchema.parse(presentAnalysis(row(), ctx(true))));
    expect(r.text.sentences.map((s) => s.text)).toEqual(['Probable small right pleural effusion.']);
    expect(r.text.details.title).toBe('AI details');
    expect(r.text.details.lines.map((l) => l.label)).toEqual(['Effusion', 'Nodule']);
    expect(r.text.details.lines[0]!.text).toMatch(/^Pleural effusion: AI probability 0\.90, threshold 0\.40 \(site calibration\); called \(probable\); location: right side, base\.$/);
    const [effusion, nodule] = r.findings;
    expect(effusion).toMatchObject({ organ: 'pleura', location: { stated: true, side: 'right', site: 'base', reason: null }, locationText: 'right side, base', sentence: 'Probable small right pleural effusion.' });
    expect(effusion!.contours).toHaveLength(1);
    expect(effusion!.contours[0]![0]!).toBeLessThan(512);
    expect(nodule).toMatchObject({ positive: false, sentence: null });
    expect(nodule!.contours[0]![0]!).toBeGreaterThan(512);
  });

  it('names no place when the pack has not validated its localisation', () => {
    const r = shown(presentAnalysis(row(), ctx(false)));
    expect(r.text.sentences[0]!.text).toBe('Probable pleural effusion.');
    expect(r.findings[0]).toMatchObject({ location: { stated: false, side: null, site: null, reason: 'localisation_not_validated' }, locationText: null, severity: null });
    expect(r.text.details.lines[0]!.text).toContain("location not stated: the model's localisation is not validated");
  });
});
