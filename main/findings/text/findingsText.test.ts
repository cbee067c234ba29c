import { describe, expect, it } from 'vitest';
import { ANATOMY_RULES } from '../anatomyRules.js';
import type { HotRegion, Zone } from '../localize.js';
import { localisation, region } from '../localisationFixture.js';
import { structuredFinding } from '../structuredFinding.js';
import type { LabelThreshold } from '../thresholds.js';
import { findingsText, formatPair } from './findingsText.js';
import { LANGUAGES, PHRASES, type Language } from './phrases.js';
import { auditText, BAD_PATTERNS, emptyAudit } from './sentenceAudit.js';

const pack = (threshold: number): LabelThreshold => ({ threshold, source: 'pack' });
/** A pack whose manifest says its localisation was validated: the only case where places are named. */
const V = { localisationValidated: true };
const opts = (language: Language) => ({ language, model: 'Demo', version: '1' });
const sentences = (language: Language, ...fs: ReturnType<typeof structuredFinding>[]) => findingsText(fs, opts(language)).sentences.map((s) => s.text);

// Called findings with confident localisations.
const effusion = structuredFinding('Effusion', 0.81, pack(0.4), localisation([region()], {}, 0.06), V);
const nodules = structuredFinding('Nodule', 0.35, pack(0.3), localisation([region({ zone: 'middle', share: 0.6 }), region({ zone: 'middle', side: 'left', share: 0.4 })]), V);
const atelectasis = structuredFinding('Atelectasis', 0.9, pack(0.3), localisation([region()], {}, 0.05), V);
const pneumothorax = structuredFinding('Pneumothorax', 0.5, pack(0.4), localisation([region({ zone: 'upper', side: 'left' })], {}, 0.04), V);
const cardiomegaly = structuredFinding('Cardiomegaly', 0.95, pack(0.5), localisation([region()]), V);
// Called, but the map's maximum is on its border: named without a place.
const mass = structuredFinding('Mass', 0.6, pack(0.5), localisation([region()], { peakOnBorder: true }), V);

const expected: Record<Language, Record<string, string>> = {
  en: {
    notValidated: "the model's localisation is not validated",
    effusion: 'Probable small right pleural effusion.',
    nodules: 'Possible bilateral midlung nodules.',
    atelectasis: 'Probable focal right basilar atelectasis.',
    pneumothorax: 'Possible small left apical pneumothorax.',
    cardiomegaly: 'Probable cardiomegaly.',
    mass: 'Possible mass.',
    normal: 'No pneumothorax, pleural effusion, consolidation, pulmonary edema, mass or cardiomegaly.',
    beside: 'No pneumothorax.',
    detail: 'Pleural effusion: AI probability 0.81, threshold 0.40 (shipped with the model); called (probable); location: right side, base.',
  },
  fr: {
    notValidated: "la localisation du modèle n'est pas validée",
    effusion: 'Probable épanchement pleural droit de faible abondance.',
    nodules: 'Possibles nodules des deux champs pulmonaires moyens.',
    atelectasis: 'Probable atélectasie focale de la base droite.',
    pneumothorax: 'Possible pneumothorax apical gauche de faible abondance.',
    cardiomegaly: 'Probable cardiomégalie.',
    mass: 'Possible masse.',
    normal: "Pas de pneumothorax, d'épanchement pleural, de condensation, d'œdème pulmonaire, de masse ni de cardiomégalie.",
    beside: 'Pas de pneumothorax.',
    detail: 'Épanchement pleural : probabilité IA 0,81, seuil 0,40 (fourni avec le modèle) ; retenu (probable) ; localisation : côté droit, base.',
  },
  es: {
    notValidated: 'la localización del modelo no está validada',
    effusion: 'Probable derrame pleural derecho de pequeño tamaño.',
    nodules: 'Posibles nódulos en ambos campos pulmonares medios.',
    atelectasis: 'Probable atelectasia focal en la base derecha.',
    pneumothorax: 'Posible neumotórax apical izquierdo de pequeño tamaño.',
    cardiomegaly: 'Probable cardiomegalia.',
    mass: 'Posible masa.',
    normal: 'Sin neumotórax, derrame pleural, consolidación, edema pulmonar, masa ni cardiomegalia.',
    beside: 'Sin neumotórax.',
    detail: 'Derrame pleural: probabilidad IA 0,81, umbral 0,40 (incluido con el modelo); señalado (probable); localización: lado derecho, base.',
  },
  pt: {
    notValidated: 'a localização do modelo não está validada',
    effusion: 'Provável derrame pleural direito de pequeno volume.',
    nodules: 'Possíveis nódulos em ambos os campos pulmonares médios.',
    atelectasis: 'Provável atelectasia focal na base direita.',
    pneumothorax: 'Possível pneumotórax apical esquerdo de pequeno volume.',
    cardiomegaly: 'Provável cardiomegalia.',
    mass: 'Possível massa.',
    normal: 'Sem pneumotórax, derrame pleural, consolidação, edema pulmonar, massa ou cardiomegalia.',
    beside: 'Sem pneumotórax.',
    detail: 'Derrame pleural: probabilidade IA 0,81, limiar 0,40 (fornecido com o modelo); indicado (provável); localização: lado direito, base.',
  },
};

/** Every label assessed at a validated operating point and not called. */
const normalStudy = Object.keys(ANATOMY_RULES).map((label) => structuredFinding(label, 0.05, pack(0.5), localisation([region()])));

describe.each(LANGUAGES)('findings text in %s', (language) => {
  const want = expected[language];

  it('writes one sentence per called finding under its anatomical rule, in the style of a report', () => {
    expect(sentences(language, effusion)[0]).toBe(want.effusion);
    expect(sentences(language, nodules)[0]).toBe(want.nodules);
    expect(sentences(language, atelectasis)[0]).toBe(want.atelectasis);
    expect(sentences(language, pneumothorax)[0]).toBe(want.pneumothorax);
    expect(sentences(language, cardiomegaly)[0]).toBe(want.cardiomegaly);
    expect(sentences(language, mass)[0]).toBe(want.mass);
  });

  it('names no place at all for a pack whose localisation is not validated, and says why in the details', () => {
    const unvalidated = structuredFinding('Effusion', 0.81, pack(0.4), localisation([region()], {}, 0.06));
    expect(unvalidated.place).toEqual({ stated: false, reason: 'localisation_not_validated' });
    expect(unvalidated.severity).toBeNull();
    const t = findingsText([unvalidated], opts(language));
    expect(t.sentences[0]!.text).toBe(`${PHRASES[language].finding({ certainty: 'probable', name: PHRASES[language].names.Effusion!, plural: false, rule: ANATOMY_RULES.Effusion!, place: null, extent: null })}`);
    expect(t.details.lines[0]!.text).toContain(want.notValidated);
  });

  it('states pertinent negatives: all of them for a normal study, pneumothorax and effusion beside called findings', () => {
    expect(sentences(language, ...normalStudy)).toEqual([want.normal]);
    const notCalledPneumothorax = structuredFinding('Pneumothorax', 0.1, pack(0.4), null);
    expect(sentences(language, effusion, notCalledPneumothorax)).toEqual([want.effusion, want.beside]);
  });

  it('never states a negative for a finding without a validated operating point', () => {
    // Labels without one never become structured findings (presentAnalysis.ts): the text gets none of them.
    expect(sentences(language)).toEqual([PHRASES[language].noValidated]);
    expect(sentences(language, structuredFinding('Fibrosis', 0.05, pack(0.5), null))).toEqual([PHRASES[language].noneCalled(1)]);
  });

  it('puts probabilities and thresholds in the AI details appendix, with the language’s decimals, never in the text', () => {
    const t = findingsText([effusion, nodules, ...normalStudy.slice(5)], opts(language));
    expect(t.details.title).toBe(PHRASES[language].details.title);
    expect(t.details.lines[0]).toEqual({ label: 'Effusion', text: want.detail });
    expect(t.details.lines).toHaveLength(11);
    for (const s of t.sentences) expect(s.text).not.toMatch(/[0-9%]/);
    if (language !== 'en') {
      for (const line of t.details.lines) expect(line.text).not.toMatch(/\d\.\d/);
      // Nothing English leaks into another language.
      for (const s of [...t.sentences, ...t.details.lines, { text: t.header }]) {
        expect(s.text).not.toMatch(/\b(probability|threshold|right|left|called|location|AI-generated)\b/);
      }
    }
  });

  it('says why findings are withheld, and states nothing else', () => {
    const w = findingsText([effusion], { ...opts(language), withheldCodes: ['inverted_polarity'] });
    expect(w.sentences).toEqual([{ label: null, text: PHRASES[language].withheld(PHRASES[language].quality.inverted_polarity!) }]);
    expect(w.details.lines).toEqual([]);
  });
});

describe('number formatting', () => {
  it('prints a probability and its threshold with as many decimals as it takes to tell them apart', () => {
    expect(formatPair(PHRASES.en, 0.496, 0.5)).toEqual(['0.496', '0.500']);
    expect(formatPair(PHRASES.en, 0.49996, 0.5)).toEqual(['0.49996', '0.50000']);
    expect(formatPair(PHRASES.fr, 0.8123, 0.4)).toEqual(['0,81', '0,40']);
    expect(formatPair(PHRASES.en, 0.5, 0.5)).toEqual(['0.50', '0.50']);
  });
});

describe('no impossible sentence on any combination of facts', () => {
  // Every label × every region layout the localisation can report × called or not, in every language.
  const zones: Zone[] = ['upper', 'middle', 'lower'];
  const sides: HotRegion['side'][] = ['right', 'left', 'midline'];
  const layouts: HotRegion[][] = [];
  for (const zone of zones) {
    for (const side of sides) {
      for (const lateral of [true, false]) {
        for (const inLungField of [true, false]) layouts.push([region({ zone, side, lateral, inLungField })]);
        layouts.push([region({ zone, side, lateral, share: 0.85 }), region({ zone: 'lower', side: side === 'left' ? 'right' : 'left', share: 0.15 })]);
        for (const other of zones) layouts.push([region({ zone, side, lateral, share: 0.55 }), region({ zone: other, side: side === 'left' ? 'right' : 'left', share: 0.45 })]);
      }
    }
  }
  const facts = [{}, { peakOnBorder: true }, { peakInLungField: false }, { lungField: 'template' as const }];

  it.each(LANGUAGES)('%s', (language) => {
    const audit = emptyAudit();
    let n = 0;
    for (const label of [...Object.keys(ANATOMY_RULES), 'PackSpecificLabel']) {
      for (const regions of layouts) {
        for (const over of facts) {
          for (const extent of [0, 0.005, 0.2]) {
            for (const p of [0.5000001, 0.97]) {
              const f = structuredFinding(label, p, pack(0.5), localisation(regions, over, extent), { localisationValidated: p > 0.9 });
              auditText(audit, [f], findingsText([f], opts(language)));
              n++;
            }
          }
        }
      }
    }
    expect(n).toBeGreaterThan(15_000);
    expect(audit.called).toBeGreaterThan(15_000);
    expect(audit.placed).toBeGreaterThan(1_000);
    expect(audit.counts).toEqual(Object.fromEntries(BAD_PATTERNS.map((b) => [b, 0])));
  });

  it('the audit itself catches each pattern it names', () => {
    const audit = emptyAudit();
    const f = structuredFinding('Pneumothorax', 0.9, pack(0.5), localisation([region({ zone: 'upper', side: 'midline' })], {}, 0), V);
    const bad = {
      language: 'en' as const,
      aiGenerated: true as const,
      header: '',
      sentences: [{ label: 'Pneumothorax', text: 'Probable small bilateral lower zone pneumothorax in the mediastinum (about 0% of the lung field; AI probability 0.90).' }],
      details: { title: '', lines: [{ label: 'Pneumothorax', text: 'Pneumothorax: AI probability 0.50, threshold 0.50.' }] },
    };
    auditText(audit, [{ ...f, probability: 0.501 }], bad);
    for (const p of ['mediastinum', 'pneumothorax_bilateral_without_two_regions', 'pneumothorax_lower_zone', 'extent_word_without_extent', 'percent_of_lung_field', 'number_in_clinical_text', 'probability_printed_equal_to_threshold'] as const) {
      expect(audit.counts[p], p).toBe(1);
    }
  });
});
