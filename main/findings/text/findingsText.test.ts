import { describe, expect, it } from 'vitest';
import type { Localisation } from '../localize.js';
import { structuredFinding } from '../structuredFinding.js';
import { findingsText } from './findingsText.js';
import { LANGUAGES } from './phrases.js';

const loc = (o: Partial<Localisation>): Localisation => ({
  boxes: [],
  peak: { x: 100, y: 800 },
  laterality: 'right',
  zone: 'lower',
  extent: 0.08,
  organ: 'pleura',
  organBasis: 'label',
  ...o,
});

describe('generated findings text', () => {
  const effusion = structuredFinding('Effusion', 0.81, { threshold: 0.4, source: 'calibration' }, loc({}));
  const cardio = structuredFinding('Cardiomegaly', 0.55, { threshold: 0.5, source: 'pack' }, loc({ organ: 'heart', laterality: 'bilateral' }));
  const normal = structuredFinding('Nodule', 0.1, { threshold: 0.3, source: 'default' }, loc({ organ: 'lung' }));

  it('writes one English sentence per positive finding with location, extent, certainty and the numbers', () => {
    const t = findingsText([effusion, cardio, normal], { language: 'en', model: 'Demo', version: '1' });
    expect(t.aiGenerated).toBe(true);
    expect(t.header).toMatch(/AI-generated/);
    expect(t.sentences.map((s) => s.label)).toEqual(['Effusion', 'Cardiomegaly']);
    expect(t.sentences[0]!.text).toBe(
      'Probable pleural effusion in the right lower zone, small extent (about 8% of the lung field; AI probability 0.81, threshold 0.40).',
    );
    // 0.55 is past the threshold but not halfway to 1: possible; the heart gets no lung-field extent.
    expect(t.sentences[1]!.text).toBe('Possible cardiomegaly (AI probability 0.55, threshold 0.50).');
  });

  it('writes French, Spanish and Portuguese with decimal commas', () => {
    const fr = findingsText([effusion], { language: 'fr', model: 'Demo', version: '1' }).sentences[0]!.text;
    expect(fr).toBe('Épanchement pleural probable dans la zone inférieure droite, de petite étendue (environ 8 % du champ pulmonaire ; probabilité IA 0,81, seuil 0,40).');
    const es = findingsText([effusion], { language: 'es', model: 'Demo', version: '1' }).sentences[0]!.text;
    expect(es).toBe('Probable derrame pleural en la zona inferior derecha, de pequeña extensión (aproximadamente 8 % del campo pulmonar; probabilidad IA 0,81, umbral 0,40).');
    const pt = findingsText([effusion], { language: 'pt', model: 'Demo', version: '1' }).sentences[0]!.text;
    expect(pt).toBe('Provável derrame pleural na zona inferior direita, de pequena extensão (cerca de 8% do campo pulmonar; probabilidade IA 0,81, limiar 0,40).');
  });

  it('says the study is normal when nothing is positive, and why findings are withheld, in every language', () => {
    for (const language of LANGUAGES) {
      const t = findingsText([normal], { language, model: 'Demo', version: '1' });
      expect(t.sentences).toHaveLength(1);
      expect(t.sentences[0]!.label).toBeNull();
      expect(t.sentences[0]!.text).toContain(language === 'en' ? '0.10' : '0,10');
      const w = findingsText([effusion], { language, model: 'Demo', version: '1', withheldCodes: ['inverted_polarity'] });
      expect(w.sentences).toHaveLength(1);
      expect(w.sentences[0]!.label).toBeNull();
    }
    expect(findingsText([normal], { language: 'en', model: 'D', version: '1' }).sentences[0]!.text).toBe(
      'No finding above its operating threshold among the 1 findings assessed (highest: nodule, AI probability 0.10, threshold 0.30).',
    );
  });
});

describe('number formatting', () => {
  it('uses three decimals when two would make a negative finding look equal to its threshold', () => {
    const near = structuredFinding('Effusion', 0.496, { threshold: 0.5, source: 'default' }, null);
    expect(findingsText([near], { language: 'en', model: 'D', version: '1' }).sentences[0]!.text).toContain('AI probability 0.496, threshold 0.500');
  });
});
