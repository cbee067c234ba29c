import { createRequire } from 'node:module';
import { reportLabels } from '../labels.js';
import { aiProvenance, hasAiContent, type ReportDocument } from '../model.js';
import { sectionCode } from '../sectionCodes.js';
import { percent } from './text.js';
import { uuidFrom } from './fhir.js';

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
/** Private coding scheme for concepts no standard scheme has (AI notices). */
export const PRIVATE_SCHEME = '99CXRWS';

type Item = Record<string, unknown>;
const code = (value: string, scheme: string, meaning: string) => [{ CodeValue: value, CodingSchemeDesignator: scheme, CodeMeaning: meaning.slice(0, 64) }];

function text(relationship: string, concept: ReturnType<typeof code>, value: string): Item {
  return { RelationshipType: relationship, ValueType: 'TEXT', ConceptNameCodeSequence: concept, TextValue: value };
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

/** "Family, Given" display names back to DICOM PN "Family^Given". */
export function toPersonName(display: string): string {
  const [family, given] = display.split(/,\s*/, 2);
  return given === undefined ? display : `${family}^${given}`;
}

function uid(seed: string): string {
  return `2.25.${BigInt(`0x${uuidFrom(seed).replace(/-/g, '')}`).toString()}`;
}

/**
 * DICOM Basic Text SR (TID 2000-like "Diagnostic Imaging Report"): one CONTAINER per report section with its text,
 * an IMAGE reference to each key image, an "AI-derived content" container whose observation context is the AI model
 * (Observer Type = Device, with the model name and version) listing the accepted findings, and one container per
 * addendum. The SR belongs to the image's study (same Study Instance UID), lists the images in the Current Requested
 * Procedure Evidence Sequence, and is VERIFIED with the signer as Verifying Observer when final.
 * When the model is de-identified, the header says so (Patient Identity Removed, De-identification Method codes).
 */
export function renderDicomSr(doc: ReportDocument): Uint8Array {
  const L = reportLabels(doc.language);
  const seed = `${doc.study.studyInstanceUid}/report/${doc.id}/${doc.updatedAt}/${doc.addenda.length}/${doc.deidentified}`;
  const sopInstanceUid = uid(`${seed}/sop`);
  const seriesInstanceUid = uid(`${doc.study.studyInstanceUid}/report-series/${doc.deidentified}`);
  const content = dt(doc.signedAt ?? doc.updatedAt);

  const children: Item[] = [
    { RelationshipType: 'HAS CONCEPT MOD', ValueType: 'CODE', ConceptNameCodeSequence: code('121049', 'DCM', 'Language of Content Item and Descendants'), ConceptCodeSequence: code(doc.language, 'RFC5646', doc.language) },
    { RelationshipType: 'HAS OBS CONTEXT', ValueType: 'CODE', ConceptNameCodeSequence: code('121005', 'DCM', 'Observer Type'), ConceptCodeSequence: code('121006', 'DCM', 'Person') },
    { RelationshipType: 'HAS OBS CONTEXT', ValueType: 'PNAME', ConceptNameCodeSequence: code('121008', 'DCM', 'Person Observer Name'), PersonName: toPersonName(doc.signedBy ?? doc.author) },
  ];
  if (hasAiContent(doc)) children.push(text('CONTAINS', code('AI-NOTICE', PRIVATE_SCHEME, 'AI-derived content notice'), L.aiNotice));

  for (const s of doc.sections) {
    if (s.name === 'patient') continue; // the SR header carries patient and study identification
    const c = sectionCode(s.name);
    const concept = c ? code(c.code, 'LN', c.meaning) : code(s.name.toUpperCase().slice(0, 16), PRIVATE_SCHEME, s.title || s.name);
    const items: Item[] = [text('CONTAINS', concept, s.text.trim() || '-')];
    if (s.aiDerived) items.push(text('CONTAINS', code('AI-SECTION', PRIVATE_SCHEME, 'Contains AI-generated text'), L.aiSectionMark));
    children.push(container('CONTAINS', concept, items));
  }

  for (const img of doc.images) {
    children.push({
      RelationshipType: 'CONTAINS',
      ValueType: 'IMAGE',
      ConceptNameCodeSequence: code('121080', 'DCM', 'Best illustration of finding'),
      ReferencedSOPSequence: [{ ReferencedSOPClassUID: img.sopClassUid, ReferencedSOPInstanceUID: img.sopInstanceUid }],
    });
  }

  if (doc.aiFindings.length) {
    const ai: Item[] = [];
    for (const p of aiProvenance(doc)) {
      ai.push(
        { RelationshipType: 'HAS OBS CONTEXT', ValueType: 'CODE', ConceptNameCodeSequence: code('121005', 'DCM', 'Observer Type'), ConceptCodeSequence: code('121007', 'DCM', 'Device') },
        { RelationshipType: 'HAS OBS CONTEXT', ValueType: 'UIDREF', ConceptNameCodeSequence: code('121012', 'DCM', 'Device Observer UID'), UID: uid(`device/${p.modelPack}/${p.modelVersion}`) },
        text('HAS OBS CONTEXT', code('121013', 'DCM', 'Device Observer Name'), p.modelPack),
        text('HAS OBS CONTEXT', code('121015', 'DCM', 'Device Observer Model Name'), `${p.modelPack} ${p.modelVersion} (${L.threshold} ${p.thresholdVersion})`),
      );
    }
    for (const f of doc.aiFindings) {
      ai.push(
        text(
          'CONTAINS',
          code('121071', 'DCM', 'Finding'),
          `${f.label}: ${f.text} (${L.probability} ${percent(f.probability)}, ${L.threshold} ${percent(f.threshold)}; ${f.decision})`,
        ),
      );
    }
    children.push(container('CONTAINS', code('AI-FINDINGS', PRIVATE_SCHEME, L.aiFindings), ai));
  }

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
  for (const img of doc.images) bySeries.set(img.seriesInstanceUid, [...(bySeries.get(img.seriesInstanceUid) ?? []), img]);

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
    InstanceNumber: String(doc.id),
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: code('18748-4', 'LN', 'Diagnostic Imaging Report'),
    ContinuityOfContent: 'SEPARATE',
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '2000' }],
    CompletionFlag: doc.state === 'final' ? 'COMPLETE' : 'PARTIAL',
    VerificationFlag: doc.state === 'final' ? 'VERIFIED' : 'UNVERIFIED',
    PreliminaryFlag: doc.state === 'final' ? 'FINAL' : 'PRELIMINARY',
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
      { VerifyingObserverName: toPersonName(doc.signedBy), VerificationDateTime: dt(doc.signedAt), VerifyingObserverIdentificationCodeSequence: [], VerifyingOrganization: doc.deidentified ? '' : doc.study.institution || 'Unknown' },
    ];
  }
  if (!bySeries.size) delete dataset.CurrentRequestedProcedureEvidenceSequence;
  if (doc.deidentified) {
    dataset.PatientIdentityRemoved = 'YES';
    dataset.LongitudinalTemporalInformationModified = 'MODIFIED';
    dataset.DeidentificationMethod = 'CXR Workstation: PS3.15 Basic Profile; dates shifted; UIDs remapped; known identifiers removed from text';
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
