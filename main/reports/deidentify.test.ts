import { describe, expect, it } from 'vitest';
import { dateShiftDays, deidentifyReport, pseudonymousPatientId, remapUid, shiftDate } from './deidentify.js';
import { sampleReportDocument } from './fixtures.js';
import { renderText } from './export/text.js';
import type { ReportDocument } from './model.js';

const key = { secret: 'site-secret' };

describe('deidentifyReport', () => {
  const doc = sampleReportDocument();
  const out = deidentifyReport(doc, key);
  const days = dateShiftDays(key, 'PAT-00042');

  it('replaces names and IDs, removes the other identifying attributes and marks the copy', () => {
    expect(out.patient).toEqual({ name: 'ANONYMOUS', id: pseudonymousPatientId(key, 'PAT-00042'), sex: null, birthDate: null, ageYears: null });
    expect(out.patient.id).toMatch(/^ANON-[0-9A-F]{10}$/);
    expect(out.study).toMatchObject({ accessionNumber: '', institution: '', referringPhysician: '', description: '' });
    expect(out.author).toBe('READER');
    expect(out.signedBy).toBe('READER');
    expect(out.addenda[0]!.author).toBe('READER');
    expect(out.deidentification).not.toBeNull();
    expect(doc.patient.name).toBe('Conceição, João'); // input untouched
  });

  it('shifts every date by the same per-patient offset, in the header, timestamps and free text', () => {
    expect(days).toBeGreaterThanOrEqual(1);
    expect(days).toBeLessThanOrEqual(365);
    expect(out.study.date).toBe(shiftDate('2024-05-20', days));
    expect(new Date(doc.signedAt!).getTime() - new Date(out.signedAt!).getTime()).toBe(days * 86_400_000);
    const impression = out.sections.find((s) => s.name === 'impression')!.text;
    expect(impression).toBe(`Pneumonia do lobo inferior direito. Comparar com exame de ${shiftDate('2024-05-17', days)}.`);
    // other spellings of dates are shifted too, and the birth date is removed wherever it appears
    const free = deidentifyReport({ ...doc, sections: [{ name: 'x', title: 'X', text: 'seen 17/05/2024, 05/17/2024 and 20240517; born 09/03/1961', aiDerived: false }] }, key).sections[0]!.text;
    const shifted = shiftDate('2024-05-17', days)!;
    expect(free).toBe(`seen ${shifted}, ${shifted} and ${shifted}; born `);
  });

  it('removes names and IDs from free text, whole words only', () => {
    const text = renderText(out);
    for (const gone of ['Conceição', 'João', 'PAT-00042', 'ACC-7781', 'Araújo', 'Inês', 'Ramírez', 'Hospital São José', '1961-03-09', '2024-05-20']) {
      expect(text).not.toContain(gone);
    }
    expect(out.sections.find((s) => s.name === 'indication')!.text).toBe('Tosse e febre há três dias. Paciente ANONYMOUS ANONYMOUS, nascido em .');
    expect(out.addenda[0]!.text).toBe('Adendo: resultado comunicado ao Dr. PHYSICIAN.');
    // "PAT" inside another word is not an identifier
    const words = deidentifyReport({ ...doc, patient: { ...doc.patient, id: '13' }, sections: [{ name: 'x', title: 'X', text: 'nodule 13 mm; 113 cases', aiDerived: false }] }, key);
    expect(words.sections[0]!.text).toBe(`nodule ${words.patient.id} mm; 113 cases`);
  });

  it('remaps UIDs consistently and only with the same secret', () => {
    expect(out.study.studyInstanceUid).toBe(remapUid(key, doc.study.studyInstanceUid));
    expect(out.images[0]!.sopInstanceUid).toBe(remapUid(key, doc.images[0]!.sopInstanceUid));
    expect(out.images[0]!.seriesInstanceUid).toMatch(/^2\.25\.\d{1,39}$/);
    expect(out.images[0]!.sopInstanceUid.length).toBeLessThanOrEqual(64);
    expect(deidentifyReport(doc, key)).toEqual(out);
    expect(remapUid({ secret: 'other' }, doc.study.studyInstanceUid)).not.toBe(out.study.studyInstanceUid);
    expect(pseudonymousPatientId({ secret: 'other' }, 'PAT-00042')).not.toBe(out.patient.id);
  });
});

/** One free-text section run through de-identification, and the counts it reported. */
function scrub(text: string, patch: Partial<ReportDocument> = {}) {
  const doc = sampleReportDocument({ sections: [{ name: 'findings', title: 'Findings', text, aiDerived: false }], ...patch });
  const out = deidentifyReport(doc, key);
  return { text: out.sections[0]!.text, counts: out.deidentification!.freeText, out };
}

describe('free text: every identifier known for the patient, in any spacing or punctuation', () => {
  const mrn = sampleReportDocument({ patient: { name: 'Smith, Robert', id: 'MRN-4471-902', sex: 'M', birthDate: '1961-03-09', ageYears: 63 } });
  const pseudo = pseudonymousPatientId(key, 'MRN-4471-902');
  const mrnPatch = { patient: mrn.patient };

  it.each([
    ['as written', 'MRN-4471-902 seen'],
    ['without its hyphens', 'MRN4471902 seen'],
    ['with spaces', 'mrn 4471 902 seen'],
    ['as the bare number', '4471902 seen'],
    ['as the bare number, spaced', '4471 902 seen'],
  ])('the MRN %s', (_name, text) => {
    const r = scrub(text, mrnPatch);
    expect(r.text).toBe(`${pseudo} seen`);
    expect(r.counts.identifier).toBe(1);
  });

  it('a leading-zero ID also as its significant digits, never eating other numbers', () => {
    const r = scrub('ID 0012345, also 12345; nodule 12 mm, 123456 cells', { patient: { ...mrn.patient, id: '0012345' } });
    const p = pseudonymousPatientId(key, '0012345');
    expect(r.text).toBe(`ID ${p}, also ${p}; nodule 12 mm, 123456 cells`);
  });

  it('names with or without accents, and the nicknames of the given name (capitalised only)', () => {
    const r = scrub('Bob Smith says Robert will call; Conceicao and CONCEIÇÃO too. Bobby agreed.', mrnPatch);
    expect(r.text).toBe('ANONYMOUS ANONYMOUS says ANONYMOUS will call; Conceicao and CONCEIÇÃO too. ANONYMOUS agreed.');
    const pt = scrub('Visita do João; Joaozinho e Conceicao vieram.');
    expect(pt.text).toBe('Visita do ANONYMOUS; ANONYMOUS e ANONYMOUS vieram.');
  });

  it('phone numbers in the common national and international forms', () => {
    for (const phone of ['+1 (555) 123-4567', '555-123-4567', '555.123.4567', '+44 20 7946 0958', '07700 900123', '+33 1 23 45 67 89', '01 23 45 67 89', '912 345 678', '+351 912 345 678', '(11) 98765-4321']) {
      const r = scrub(`call ${phone} today`);
      expect(r.text, phone).toBe('call [phone removed] today');
      expect(r.counts.phone, phone).toBe(1);
    }
    expect(scrub('tel: 4567-890 ext').text).toBe('tel: [phone removed] ext');
    // measurements, vertebrae and short numbers are not phone numbers
    expect(scrub('3.5 x 4.2 cm at T7, 12 mm, 120/80 mmHg').text).toBe('3.5 x 4.2 cm at T7, 12 mm, 120/80 mmHg');
  });

  it('street addresses in the four languages', () => {
    for (const [text, expected] of [
      ['lives at 42 Elm Street, alone', 'lives at [address removed], alone'],
      ['221B Baker St. London', '[address removed] London'],
      ['habite 12 rue de la Paix 75002 Paris.', 'habite [address removed].'],
      ['vive en Calle Mayor, 5, Madrid', 'vive en [address removed], Madrid'],
      ['mora na Rua das Flores 123, apto 4', 'mora na [address removed], apto 4'],
      ['Avenida Paulista n.º 1000', '[address removed]'],
    ]) {
      expect(scrub(text!).text, text).toBe(expected);
    }
  });

  it('e-mail addresses, UIDs and written dates; the birth date in any form is removed', () => {
    const days = dateShiftDays(key, 'PAT-00042');
    const r = scrub('mail joao.c@example.org; UID 1.2.840.113619.2.55.3.4 seen 17 May 2024, May 18, 2024 and 19 de maio de 2024; born 9 March 1961');
    expect(r.text).toBe(
      `mail [e-mail removed]; UID [UID removed] seen ${shiftDate('2024-05-17', days)}, ${shiftDate('2024-05-18', days)} and ${shiftDate('2024-05-19', days)}; born `,
    );
    expect(r.counts).toMatchObject({ email: 1, uid: 1, date: 4 });
  });

  it('a replacement is never taken for something else (a remapped UID is not a phone number)', () => {
    const doc = sampleReportDocument();
    const r = scrub(`see ${doc.study.studyInstanceUid} and ${doc.images[0]!.sopInstanceUid}`);
    expect(r.text).toBe(`see ${remapUid(key, doc.study.studyInstanceUid)} and ${remapUid(key, doc.images[0]!.sopInstanceUid)}`);
    expect(r.counts).toMatchObject({ uid: 2, phone: 0 });
  });

  it('cleans the AI record too, and the text export states what was and was not cleaned', () => {
    const out = deidentifyReport(sampleReportDocument(), key);
    expect(out.ai.images[0]).toMatchObject({ instanceId: null, analysisId: null });
    const text = renderText(out);
    expect(text).toContain('Cópia anonimizada.');
    expect(text).toMatch(/Encontrados e limpos no texto digitado: .*nome\(s\)/);
    expect(text).toContain('Não limpos: nomes de outras pessoas, apelidos fora da tabela embutida');
  });
});

describe('key images in de-identified exports', () => {
  const png = new Uint8Array([1, 2, 3]);
  const withImage = (burnedIn: 'YES' | 'NO' | null) => {
    const base = sampleReportDocument();
    return deidentifyReport({ ...base, images: [{ ...base.images[0]!, burnedIn, png, heatmapPng: png }] }, key);
  };

  it('are left out unless the file says Burned In Annotation is NO, and the export says which', () => {
    for (const b of ['YES', null] as const) {
      const out = withImage(b);
      expect(out.images[0]).toMatchObject({ png: null, heatmapPng: null, fileName: '' });
      expect(out.deidentification).toMatchObject({ imagesOmitted: 1, imagesKept: 0 });
      expect(renderText(out)).toContain('Imagem(ns)-chave omitida(s) (1)');
    }
    const kept = withImage('NO');
    expect(kept.images[0]!.png).toBe(png);
    expect(kept.deidentification).toMatchObject({ imagesOmitted: 0, imagesKept: 1 });
    expect(renderText(kept)).toContain('(0028,0301 = NO)');
  });
});
