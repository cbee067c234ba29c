import { describe, expect, it } from 'vitest';
import { anatomyRule, ANATOMY_RULES } from './anatomyRules.js';
import { localisation, region } from './localisationFixture.js';
import { decidePlace } from './place.js';
import { structuredFinding } from './structuredFinding.js';

const place = (label: string, loc: Parameters<typeof decidePlace>[1]) => decidePlace(anatomyRule(label), loc);
const upper = (over = {}) => region({ zone: 'upper', ...over });
const middle = (over = {}) => region({ zone: 'middle', ...over });

describe('anatomical rules for the place of a finding', () => {
  it('pneumothorax: apex or lateral chest wall, never the base or a medial mid zone', () => {
    expect(place('Pneumothorax', localisation([upper()]))).toEqual({ stated: true, place: { side: 'right', site: 'apex' } });
    expect(place('Pneumothorax', localisation([middle({ side: 'left' })]))).toEqual({ stated: true, place: { side: 'left', site: 'lateral' } });
    expect(place('Pneumothorax', localisation([middle({ lateral: false })]))).toEqual({ stated: false, reason: 'site_not_anatomical' });
    expect(place('Pneumothorax', localisation([region()]))).toEqual({ stated: false, reason: 'site_not_anatomical' });
  });

  it('pneumothorax, nodule and mass: one side unless two separate regions, one in each lung', () => {
    for (const label of ['Pneumothorax', 'Nodule', 'Mass']) {
      // One region across the midline is not "bilateral": no side at all.
      expect(place(label, localisation([upper({ side: 'midline' })]))).toEqual({ stated: false, reason: 'sides_unclear' });
      const two = localisation([upper({ share: 0.6 }), upper({ side: 'left', share: 0.4 })]);
      expect(place(label, two)).toMatchObject({ stated: true, place: { side: 'both' } });
      // A small second part (under MIN_REGION_SHARE) does not make a finding bilateral.
      expect(place(label, localisation([upper({ share: 0.9 }), upper({ side: 'left', share: 0.1 })]))).toMatchObject({ stated: true, place: { side: 'right' } });
    }
  });

  it('pleural effusion: at the base only, its site implied', () => {
    expect(place('Effusion', localisation([region({ side: 'left' })]))).toEqual({ stated: true, place: { side: 'left', site: 'base' } });
    expect(place('Effusion', localisation([upper()]))).toEqual({ stated: false, reason: 'site_not_anatomical' });
    expect(place('Effusion', localisation([middle()]))).toEqual({ stated: false, reason: 'site_not_anatomical' });
    expect(ANATOMY_RULES.Effusion!.place).toMatchObject({ kind: 'pleural', sites: ['base'], nameSite: false });
  });

  it('cardiomegaly, hiatal hernia, edema and emphysema never get a side or a zone', () => {
    for (const label of ['Cardiomegaly', 'Hernia', 'Edema', 'Emphysema', 'SomePackLabel']) {
      expect(place(label, localisation([region()]))).toEqual({ stated: false, reason: 'whole_organ' });
    }
  });

  it('parenchymal findings: lung zones only, never the mediastinum', () => {
    expect(place('Atelectasis', localisation([region()]))).toEqual({ stated: true, place: { side: 'right', site: 'base' } });
    expect(place('Consolidation', localisation([middle({ side: 'left' })]))).toEqual({ stated: true, place: { side: 'left', site: 'mid' } });
    // A maximum outside the lung field (the mediastinum, the abdomen) is not placed anywhere.
    expect(place('Mass', localisation([upper({ inLungField: false })], { peakInLungField: false }))).toEqual({ stated: false, reason: 'outside_lung_field' });
    expect(place('Emphysema', localisation([region()], { peakInLungField: false }))).toEqual({ stated: false, reason: 'whole_organ' });
    const bilateralDifferentZones = place('Infiltration', localisation([upper({ share: 0.5 }), region({ side: 'left', share: 0.5 })]));
    expect(bilateralDifferentZones).toEqual({ stated: true, place: { side: 'both', site: null } });
  });

  it('names no place unless the localisation is confident by the stated criterion', () => {
    expect(place('Nodule', null)).toEqual({ stated: false, reason: 'no_map' });
    expect(place('Nodule', { boxes: [], peak: { x: 1, y: 1 }, extent: 0.1 })).toEqual({ stated: false, reason: 'old_analysis' });
    expect(place('Nodule', localisation([upper()], { lungField: 'template' }))).toEqual({ stated: false, reason: 'template_lung_field' });
    expect(place('Nodule', localisation([upper()], { peakOnBorder: true }))).toEqual({ stated: false, reason: 'peak_on_border' });
    expect(place('Nodule', localisation([upper({ inLungField: false })]))).toEqual({ stated: false, reason: 'outside_lung_field' });
  });

  it('gives extent words only with a stated place, a rule that takes them, and a real lung-field extent', () => {
    const t = { threshold: 0.3, source: 'pack' as const };
    const V = { localisationValidated: true };
    expect(structuredFinding('Effusion', 0.9, t, localisation([region()], {}, 0.08), V).severity).toBe('small');
    expect(structuredFinding('Effusion', 0.9, t, localisation([region()], {}, 0.4), V).severity).toBe('extensive');
    expect(structuredFinding('Effusion', 0.9, t, localisation([region()], {}, 0), V).severity).toBeNull();
    expect(structuredFinding('Effusion', 0.9, t, localisation([upper()], {}, 0.2), V).severity).toBeNull();
    expect(structuredFinding('Nodule', 0.9, t, localisation([upper()], {}, 0.2), V).severity).toBeNull();
    expect(structuredFinding('Cardiomegaly', 0.9, t, localisation([region()], {}, 0.2), V).severity).toBeNull();
    expect(structuredFinding('Effusion', 0.1, t, localisation([region()], {}, 0.2), V).severity).toBeNull();
    // A pack whose localisation is not validated gets neither place nor extent words.
    expect(structuredFinding('Effusion', 0.9, t, localisation([region()], {}, 0.2))).toMatchObject({ severity: null, place: { stated: false, reason: 'localisation_not_validated' } });
  });
});
