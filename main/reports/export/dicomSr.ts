import { createRequire } from 'node:module';
import { aiPacks, keptFindings, type KeptFinding } from '../aiUse.js';
import { percent } from '../aiSection.js';
import { CERTAINTY_CODES, CERTAINTY_OF_FINDING, findingCoding, LATERALITY_CODES, LATERALITY_CONCEPT } from '../findingCodes.js';
import { reportLabels } from '../labels.js';
import { readerSections, type ReportDocument } from '../model.js';
import { sectionCode } from '../sectionCodes.js';
import { uuidFrom } from './fhir.js';
import { toPersonName } from './personName.js';
import { aiBlock, deidLines } from './text.js';

export { toPersonName } from './personName.js';

// dcmjs ships no type declarations; this is the little of it used here.
interface DcmjsSubset {
  data: {
    DicomDict: new (meta: unknown) => { dict: unknown; write(options?: unknown): ArrayBuffer };
    DicomMetaDictionary: { denaturalizeDataset(ds: Record<string, unknown>): unknown };
  };
}
const dcmjs = createRequire(import.meta.url)('dcmjs') as DcmjsSubset;

/** Basic Text SR Storage: text, codes, person names and image references, no numeric measurements. */
export const BASIC_TEXT_SR = '1.2.840.10008.5.1.4.1.1.88.11';
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
/** The implementation class UID of this workstation's writer (a 2.25 UUID-derived root). */
export const IMPLEMENTATION_CLASS_UID = '2.25.207652301889366547203519380474862302815';
/** De-identification Method (LO, at most 64 characters); the full statement is a TEXT item in the content tree. */
export const DEIDENTIFICATION_METHOD = 'CXRWS: PS3.15 basic profile; dates shifted; text scrubbed';

type Item = Record<string, unknown>;
const code = (value: string, scheme: string, meaning: string) => [{ CodeValue: value, CodingSchemeDesignator: scheme, CodeMeaning: [...meaning].slice(0, 64).join('') }];
/** Every concept is a standard one (DCM, SCT, LN): no private coding scheme to declare or to be unrecognised. */
const COMMENT = code('121106', 'DCM', 'Comment');
/** The AI's part of the report, as DICOM CAD SR templates name it. */
const AI_SUMMARY = code('111017', 'DCM', 'CAD Processing and Findings Summary');

function text(relationship: string, concept: ReturnType<typeof code>, value: string): Item {
  return { RelationshipType: relationship, ValueType: 'TEXT', ConceptNameCodeSequence: concept, TextValue: value };
}

function codeItem(relationship: string, concept: ReturnType<typeof code>, value: ReturnType<typeof code>, children: Item[] = []): Item {
  return { RelationshipType: relationship, ValueType: 'CODE', ConceptNameCodeSequence: concept, ConceptCodeSequence: value, ...(children.length ? { ContentSequence: children } : {}) };
}

function container(relationship: string, concept: ReturnType<typeof code>, children: Item[]): Item {
  return { RelationshipType: relationship, ValueType: 'CONTAINER', ConceptNameCodeSequence: concept, ContinuityOfContent: 'SEPARATE', ContentSequence: children };
}

/** DICOM DA/TM/DT from ISO strings. */
function da(iso: string | null): string {
  return iso ? iso.slice(0, 10).replace(/-/g, '') : '';
}
function tm(iso: string): string {
  return iso.slice(11, 19).replace(/:/g, '');
}
function dt(iso: string): string {
  return `${da(iso)}${tm(iso)}`;
}

function uid(seed: string): string {
  return `2.25.${BigInt(`0x${uuidFrom(seed).replace(/-/g, '')}`).toString()}`;
}

/**
 * One finding the reader kept, coded: CODE "Finding" = the SNOMED CT concept, with its certainty (Certainty of
 * Finding = probable/possible diagnosis) and side (Laterality) as concept modifiers, followed by a comment with the
 * numbers behind the call and the reader's decision (Basic Text SR allows a CODE no other kind of child). A label
 * without a checked code is a TEXT finding, never a made-up code.
 */
function findingItems(f: KeptFinding): Item[] {
  const coding = findingCoding(f.label);
  const name = f.label.replace(/_/g, ' ');
  const numbers = `${name}: AI probability ${percent(f.probability)}, threshold ${f.threshold === null ? 'none' : percent(f.threshold)} (${f.thresholdVersion}); reader ${f.decision}: ${f.text}`;
  const mods: Item[] = [];
  if (f.certainty) mods.push(codeItem('HAS CONCEPT MOD', code(CERTAINTY_OF_FINDING.code, 'DCM', CERTAINTY_OF_FINDING.display), code(CERTAINTY_CODES[f.certainty].code, 'SCT', CERTAINTY_CODES[f.certainty].display)));
  if (f.laterality) mods.push(codeItem('HAS CONCEPT MOD', code(LATERALITY_CONCEPT.code, 'SCT', LATERALITY_CONCEPT.display), code(LATERALITY_CODES[f.laterality].code, 'SCT', LATERALITY_CODES[f.laterality].display)));
  const finding = coding
    ? codeItem('CONTAINS', code('121071', 'DCM', 'Finding'), code(coding.snomed.code, 'SCT', coding.snomed.display), mods)
    : { ...text('CONTAINS', code('121071', 'DCM', 'Finding'), name), ...(mods.length ? { ContentSequence: mods } : {}) };
  return [finding, text('CONTAINS', COMMENT, numbers)];
}

/**
 * DICOM Basic Text SR "Diagnostic Imaging Report": one CONTAINER per report section with its text; an IMAGE
 * reference to each key image that is a DICOM object (a PNG/JPEG key image has no DICOM identity and is named as a
 * file in a TEXT item instead, never by a UID that exists nowhere); an "AI decision support" container whose
 * observation context is the AI model (Observer Type = Device), holding the generated AI section, each kept finding
 * coded in SNOMED CT with certainty and laterality, and the AI details; one container per addendum. The SR belongs
 * to the image's study (same Study Instance UID), lists its DICOM images as evidence, and is VERIFIED with the signer
 * as Verifying Observer when final. A de-identified SR says so (Patient Identity Removed, method and codes of what
 * was done, and the full statement of what was and was not cleaned).
 */
export function renderDicomSr(doc: ReportDocument): Uint8Array {
  const seed = `${doc.study.studyInstanceUid}/report/${doc.id}/${doc.updatedAt}/${doc.addenda.length}/${doc.deidentification !== null}`;
  const sopInstanceUid = uid(`${seed}/sop`);
  const seriesInstanceUid = uid(`${doc.study.studyInstanceUid}/report-series/${doc.deidentification !== null}`);
  const content = dt(doc.signedAt ?? doc.updatedAt);
  const dicomImages = doc.images.filter((i) => i.format === 'dicom');
  const fileImages = doc.images.filter((i) => i.format !== 'dicom');

  const children: Item[] = [
    codeItem('HAS CONCEPT MOD', code('121049', 'DCM', 'Language of Content Item and Descendants'), code(doc.language, 'RFC5646', doc.language)),
    codeItem('HAS OBS CONTEXT', code('121005', 'DCM', 'Observer Type'), code('121006', 'DCM', 'Person')),
    { RelationshipType: 'HAS OBS CONTEXT', ValueType: 'PNAME', ConceptNameCodeSequence: code('121008', 'DCM', 'Person Observer Name'), PersonName: toPersonName(doc.signedBy ?? doc.author) },
  ];
  const deid = deidLines(doc);
  if (deid.length) children.push(text('CONTAINS', COMMENT, deid.join('\n')));

  for (const s of readerSections(doc)) {
    const c = sectionCode(s.name);
    // A template section without a LOINC heading is a comment that carries its own title.
    const concept = c ? code(c.code, 'LN', c.meaning) : COMMENT;
    const items: Item[] = [text('CONTAINS', concept, c ? s.text.trim() || '-' : `${s.title || s.name}: ${s.text.trim() || '-'}`)];
    if (s.aiDerived) items.push(text('CONTAINS', COMMENT, reportLabels(doc.language).aiSectionMark));
    children.push(container('CONTAINS', concept, items));
  }

  for (const img of dicomImages) {
    children.push({
      RelationshipType: 'CONTAINS',
      ValueType: 'IMAGE',
      ConceptNameCodeSequence: code('121080', 'DCM', 'Best illustration of finding'),
      ReferencedSOPSequence: [{ ReferencedSOPClassUID: img.sopClassUid, ReferencedSOPInstanceUID: img.sopInstanceUid }],
    });
  }
  for (const img of fileImages) {
    const what = `${img.format.toUpperCase()} file${img.fileName ? ` ${img.fileName}` : ''}${img.viewPosition ? `, ${img.viewPosition}` : ''}: not a DICOM object, so not referenced by UID`;
    children.push(text('CONTAINS', COMMENT, `${reportLabels(doc.language).keyImage}: ${what}`));
  }

  const ai = aiBlock(doc);
  const aiItems: Item[] = [];
  for (const p of aiPacks(doc.ai)) {
    aiItems.push(
      codeItem('HAS OBS CONTEXT', code('121005', 'DCM', 'Observer Type'), code('121007', 'DCM', 'Device')),
      { RelationshipType: 'HAS OBS CONTEXT', ValueType: 'UIDREF', ConceptNameCodeSequence: code('121012', 'DCM', 'Device Observer UID'), UID: uid(`device/${p.packId}/${p.packVersion}`) },
      text('HAS OBS CONTEXT', code('121013', 'DCM', 'Device Observer Name'), p.packId),
      text('HAS OBS CONTEXT', code('121015', 'DCM', 'Device Observer Model Name'), `${p.packTitle} ${p.packVersion}`),
    );
  }
  aiItems.push(text('CONTAINS', COMMENT, [ai.title, ...ai.lines].join('\n')));
  for (const f of keptFindings(doc.ai)) aiItems.push(...findingItems(f));
  if (ai.details.length) aiItems.push(text('CONTAINS', COMMENT, ai.details.join('\n')));
  children.push(container('CONTAINS', AI_SUMMARY, aiItems));

  for (const a of doc.addenda) {
    children.push(
      container('CONTAINS', code('55107-7', 'LN', 'Addendum'), [
        { RelationshipType: 'HAS OBS CONTEXT', ValueType: 'PNAME', ConceptNameCodeSequence: code('121008', 'DCM', 'Person Observer Name'), PersonName: toPersonName(a.author) },
        { RelationshipType: 'HAS OBS CONTEXT', ValueType: 'DATETIME', ConceptNameCodeSequence: code('111526', 'DCM', 'DateTime Started'), DateTime: dt(a.createdAt) },
        text('CONTAINS', code('55107-7', 'LN', 'Addendum'), a.text),
      ]),
    );
  }

  const bySeries = new Map<string, ReportDocument['images']>();
  for (const img of dicomImages) bySeries.set(img.seriesInstanceUid, [...(bySeries.get(img.seriesInstanceUid) ?? []), img]);

  const dataset: Record<string, unknown> = {
    SpecificCharacterSet: 'ISO_IR 192',
    InstanceCreationDate: da(doc.generatedAt),
    InstanceCreationTime: tm(doc.generatedAt),
    SOPClassUID: BASIC_TEXT_SR,
    SOPInstanceUID: sopInstanceUid,
    StudyDate: da(doc.study.date),
    ContentDate: content.slice(0, 8),
    StudyTime: (doc.study.time ?? '').replace(/:/g, ''),
    ContentTime: content.slice(8),
    AccessionNumber: doc.study.accessionNumber,
    Modality: 'SR',
    Manufacturer: 'CXR Workstation',
    ReferringPhysicianName: doc.study.referringPhysician ? toPersonName(doc.study.referringPhysician) : '',
    StudyDescription: doc.study.description,
    SeriesDescription: doc.title,
    PatientName: toPersonName(doc.patient.name),
    PatientID: doc.patient.id,
    PatientBirthDate: da(doc.patient.birthDate),
    PatientSex: doc.patient.sex ?? '',
    StudyInstanceUID: doc.study.studyInstanceUid,
    SeriesInstanceUID: seriesInstanceUid,
    StudyID: '',
    SeriesNumber: '999',
    // Type 2: this SR was not produced by a performed procedure step.
    ReferencedPerformedProcedureStepSequence: [],
    InstanceNumber: String(doc.id),
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: code('18748-4', 'LN', 'Diagnostic Imaging Report'),
    ContinuityOfContent: 'SEPARATE',
    CompletionFlag: doc.state === 'final' ? 'COMPLETE' : 'PARTIAL',
    VerificationFlag: doc.state === 'final' ? 'VERIFIED' : 'UNVERIFIED',
    PreliminaryFlag: doc.state === 'final' ? 'FINAL' : 'PRELIMINARY',
    // Type 2: the procedure performed is not coded by this workstation.
    PerformedProcedureCodeSequence: [],
    CurrentRequestedProcedureEvidenceSequence: [
      {
        StudyInstanceUID: doc.study.studyInstanceUid,
        ReferencedSeriesSequence: [...bySeries.entries()].map(([seriesUid, images]) => ({
          SeriesInstanceUID: seriesUid,
          ReferencedSOPSequence: images.map((i) => ({ ReferencedSOPClassUID: i.sopClassUid, ReferencedSOPInstanceUID: i.sopInstanceUid })),
        })),
      },
    ],
    ContentSequence: children,
  };
  if (doc.state === 'final' && doc.signedBy && doc.signedAt) {
    dataset.VerifyingObserverSequence = [
      {
        VerifyingObserverName: toPersonName(doc.signedBy),
        VerificationDateTime: dt(doc.signedAt),
        VerifyingObserverIdentificationCodeSequence: [],
        // Type 1: a de-identified copy carries a dummy value (PS3.15 action D), never an empty one.
        VerifyingOrganization: doc.deidentification ? 'REMOVED' : doc.study.institution || 'Unknown',
      },
    ];
  }
  if (!bySeries.size) delete dataset.CurrentRequestedProcedureEvidenceSequence;
  if (doc.deidentification) {
    dataset.PatientIdentityRemoved = 'YES';
    dataset.LongitudinalTemporalInformationModified = 'MODIFIED';
    dataset.DeidentificationMethod = DEIDENTIFICATION_METHOD;
    // What was done, and only that: the Basic Profile, cleaning of the structured content's text, and dates shifted
    // (no pixel cleaning is claimed: an SR has none, and images whose pixels could identify are left out).
    dataset.DeidentificationMethodCodeSequence = [
      ...code('113100', 'DCM', 'Basic Application Confidentiality Profile'),
      ...code('113104', 'DCM', 'Clean Structured Content Option'),
      ...code('113107', 'DCM', 'Retain Longitudinal Temporal Information Modified Dates Option'),
    ];
  }

  const meta = {
    MediaStorageSOPClassUID: BASIC_TEXT_SR,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: 'CXRWS_1',
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
  };
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}
