import { describe, expect, it } from 'vitest';
import { dateShiftDays, deidentifyReport, pseudonymousPatientId, remapUid, shiftDate } from './deidentify.js';
import { sampleReportDocument } from './fixtures.js';
import { renderText } from './export/text.js';

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
    expect(out.deidentified).toBe(true);
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
