/**
 * Standard codes for the AI's finding labels (ChestX-ray14 names), their certainty and their side, used by the FHIR
 * and DICOM SR exports. Written once, as data, with where each code was checked, because a wrong SNOMED code is worse
 * than none: it looks authoritative to every system downstream. A label not listed gets text only, never a made-up
 * code. RadLex codes only where a registry-checked mapping was found.
 *
 * Sources: SNOMED CT International (concept ids as used in DICOM PS3.16 context groups CID 6104/6105 "Abnormal
 * opacity/lucency finding" for Mass, Nodule and Pneumothorax, and in published SNOMED-coded chest findings value sets
 * for the others); RadLex RIDs as verified against the RadLex registry by a published chest radiograph template.
 * Pleural thickening has no verified specific concept here, so it is coded at the verified parent "Pleura finding".
 */
export interface Code {
  code: string;
  display: string;
}

export interface FindingCoding {
  snomed: Code;
  radlex?: Code;
}

const sct = (code: string, display: string): Code => ({ code, display });

export const FINDING_CODES: Readonly<Record<string, FindingCoding>> = {
  Atelectasis: { snomed: sct('46621007', 'Atelectasis'), radlex: { code: 'RID28493', display: 'atelectasis' } },
  Cardiomegaly: { snomed: sct('8186001', 'Cardiomegaly') },
  Effusion: { snomed: sct('60046008', 'Pleural effusion'), radlex: { code: 'RID34539', display: 'pleural effusion' } },
  Infiltration: { snomed: sct('409609008', 'Radiologic infiltrate of lung') },
  Mass: { snomed: sct('4147007', 'Mass'), radlex: { code: 'RID3874', display: 'mass' } },
  Nodule: { snomed: sct('27925004', 'Nodule'), radlex: { code: 'RID50149', display: 'pulmonary nodule' } },
  Pneumonia: { snomed: sct('233604007', 'Pneumonia') },
  Pneumothorax: { snomed: sct('36118008', 'Pneumothorax'), radlex: { code: 'RID5352', display: 'pneumothorax' } },
  Consolidation: { snomed: sct('95436008', 'Lung consolidation'), radlex: { code: 'RID43255', display: 'consolidation' } },
  Edema: { snomed: sct('19242006', 'Pulmonary edema') },
  Emphysema: { snomed: sct('87433001', 'Pulmonary emphysema'), radlex: { code: 'RID4799', display: 'emphysema' } },
  Fibrosis: { snomed: sct('51615001', 'Fibrosis of lung') },
  Pleural_Thickening: { snomed: sct('301256004', 'Pleura finding') },
  Hernia: { snomed: sct('84089009', 'Hiatal hernia') },
};

export function findingCoding(label: string): FindingCoding | null {
  return Object.hasOwn(FINDING_CODES, label) ? FINDING_CODES[label]! : null;
}

/** SNOMED CT contextual qualifiers for how sure the call was: "possible" is never written as "present". */
export const CERTAINTY_CODES: Readonly<Record<'probable' | 'possible', Code>> = {
  probable: sct('2931005', 'Probable diagnosis'),
  possible: sct('60022001', 'Possible diagnosis'),
};

/** SNOMED CT "Laterality" and its values (DICOM CID 2 / CID 210). */
export const LATERALITY_CONCEPT = sct('272741003', 'Laterality');
export const LATERALITY_CODES: Readonly<Record<'right' | 'left' | 'bilateral', Code>> = {
  right: sct('24028007', 'Right'),
  left: sct('7771000', 'Left'),
  bilateral: sct('51440002', 'Right and left'),
};

/** DICOM "Certainty of Finding" (DCM 111012), the concept the SR qualifies a finding's certainty with. */
export const CERTAINTY_OF_FINDING = { code: '111012', display: 'Certainty of Finding' } as const;

export const SNOMED_SYSTEM = 'http://snomed.info/sct';
export const RADLEX_SYSTEM = 'http://radlex.org';
