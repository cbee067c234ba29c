import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import type { ReportAiFinding } from '../api/reports.js';
import type { StudyDetail } from '../api/studies.js';
import { toDisplayGray8 } from '../images/display.js';
import { loadImage, type ImageFormat } from '../images/loadImage.js';
import { IMPLEMENTATION_CLASS_UID, toPersonName } from '../reports/export/dicomSr.js';
import { IMPLEMENTATION_VERSION } from './dimse.js';

// dcmjs ships no type declarations; this is the little of it used here.
interface DcmjsSubset {
  data: {
    DicomDict: new (meta: unknown) => { dict: unknown; write(options?: unknown): ArrayBuffer };
    DicomMetaDictionary: { denaturalizeDataset(ds: Record<string, unknown>): unknown };
  };
}
const dcmjs = createRequire(import.meta.url)('dcmjs') as DcmjsSubset;

export const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
/** Long side of the capture: enough to read the overlay, a fraction of a radiograph's size. */
const LONG_SIDE = 1024;

export interface AiCaptureInput {
  study: StudyDetail;
  source: { filePath: string; format: ImageFormat; sopClassUid: string; sopInstanceUid: string };
  /** The AI finding the reader accepted in the signed report, on this image. */
  finding: ReportAiFinding;
  /** The finding's heatmap (RGBA PNG, any size; stretched over the image). */
  heatmapPng: Buffer;
  report: { id: number; signedBy: string; signedAt: string };
  now: Date;
}

function uidFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex').slice(0, 32);
  return `2.25.${BigInt(`0x${hex}`).toString()}`;
}

function xml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Splits a line into lines that fit `width` at `size` (DejaVu Sans Bold averages about 0.62 em per character). */
function wrap(text: string, width: number, size: number): string[] {
  const max = Math.max(10, Math.floor(width / (size * 0.62)));
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && (line + ' ' + word).length > max) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/** A band of text lines burned into the capture (so the label survives any viewer that ignores the header). */
function band(width: number, paragraphs: Array<{ text: string; colour: string; size: number }>): Buffer {
  const pad = Math.round(width / 80);
  const lines = paragraphs.flatMap((p) => wrap(p.text, width - 2 * pad, p.size).map((text) => ({ ...p, text })));
  let y = pad;
  const texts = lines.map((l) => {
    y += l.size;
    const t = `<text x="${pad}" y="${y}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" font-size="${l.size}" font-weight="bold" fill="${l.colour}">${xml(l.text)}</text>`;
    y += Math.round(l.size * 0.35);
    return t;
  });
  const height = y + pad;
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="#000"/>${texts.join('')}</svg>`);
}

/**
 * The key image with the AI heatmap of a finding the reader accepted, as a DICOM Secondary Capture in the original
 * study (same Study Instance UID, a series of its own). It is AI output and says so three ways: burned-in bands
 * above and below the image ("AI OUTPUT - NOT A DIAGNOSIS", the finding, the model, and that the signed report is
 * the reading), Image Type DERIVED\SECONDARY\AI with Burned In Annotation YES, and the series description, image
 * comments and derivation description. UIDs derive from the report and image, so sending it again does not
 * duplicate it on the PACS.
 */
export async function renderAiCapture(input: AiCaptureInput): Promise<Uint8Array> {
  const img = await loadImage(input.source.filePath, input.source.format);
  const gray = toDisplayGray8(img.frame, img.display);
  const scale = Math.min(1, LONG_SIDE / Math.max(img.frame.width, img.frame.height));
  const width = Math.max(1, Math.round(img.frame.width * scale));
  const height = Math.max(1, Math.round(img.frame.height * scale));
  const heat = await sharp(input.heatmapPng).resize(width, height, { fit: 'fill' }).png().toBuffer();
  const picture = await sharp(Buffer.from(gray), { raw: { width: img.frame.width, height: img.frame.height, channels: 1 } })
    .resize(width, height, { fit: 'fill' })
    .toColourspace('srgb')
    .composite([{ input: heat }])
    .removeAlpha()
    .png()
    .toBuffer();

  const f = input.finding;
  const size = Math.max(12, Math.round(width / 40));
  const top = band(width, [{ text: 'AI OUTPUT - NOT A DIAGNOSIS', colour: '#ffd400', size: Math.round(size * 1.4) }]);
  const bottom = band(width, [
    { text: `AI heatmap: ${f.label}, probability ${f.probability.toFixed(2)} (threshold ${f.threshold.toFixed(2)}, ${f.thresholdVersion})`, colour: '#ffd400', size },
    { text: `Model ${f.modelPack} ${f.modelVersion}. Accepted by ${input.report.signedBy} in the signed report, which is the reading.`, colour: '#ffffff', size },
  ]);
  const topH = (await sharp(top).metadata()).height!;
  const bottomH = (await sharp(bottom).metadata()).height!;
  const totalH = topH + height + bottomH;
  const { data } = await sharp({ create: { width, height: totalH, channels: 3, background: { r: 0, g: 0, b: 0 } } })
    .composite([
      { input: top, top: 0, left: 0 },
      { input: picture, top: topH, left: 0 },
      { input: bottom, top: topH + height, left: 0 },
    ])
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });

  const s = input.study;
  const seed = `${s.studyInstanceUid}/ai-capture/${input.report.id}/${input.source.sopInstanceUid}/${f.label}/${f.modelPack}/${f.modelVersion}`;
  const da = (iso: string | null) => (iso ? iso.slice(0, 10).replace(/-/g, '') : '');
  const now = input.now.toISOString();
  const dataset: Record<string, unknown> = {
    _meta: {
      FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
      MediaStorageSOPClassUID: SECONDARY_CAPTURE,
      MediaStorageSOPInstanceUID: uidFrom(`${seed}/sop`),
      TransferSyntaxUID: EXPLICIT_LE,
      ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
      ImplementationVersionName: IMPLEMENTATION_VERSION,
    },
    SpecificCharacterSet: 'ISO_IR 192',
    ImageType: ['DERIVED', 'SECONDARY', 'AI'],
    SOPClassUID: SECONDARY_CAPTURE,
    SOPInstanceUID: uidFrom(`${seed}/sop`),
    InstanceCreationDate: da(now),
    InstanceCreationTime: now.slice(11, 19).replace(/:/g, ''),
    StudyDate: da(s.date),
    ContentDate: da(now),
    StudyTime: '',
    ContentTime: now.slice(11, 19).replace(/:/g, ''),
    AccessionNumber: s.accessionNumber,
    Modality: 'OT',
    ConversionType: 'WSD',
    Manufacturer: 'CXR Workstation',
    ReferringPhysicianName: s.referringPhysician ? toPersonName(s.referringPhysician) : '',
    StudyDescription: s.description,
    SeriesDescription: 'AI OUTPUT - heatmap (not a diagnosis)',
    DerivationDescription: `AI heatmap of ${f.label} (${f.modelPack} ${f.modelVersion}) blended over the displayed image; not a diagnosis`.slice(0, 1024),
    SourceImageSequence: [{ ReferencedSOPClassUID: input.source.sopClassUid, ReferencedSOPInstanceUID: input.source.sopInstanceUid }],
    PatientName: toPersonName(s.patientName),
    PatientID: s.patientId,
    PatientBirthDate: da(s.birthDate),
    PatientSex: s.sex ?? '',
    StudyInstanceUID: s.studyInstanceUid,
    SeriesInstanceUID: uidFrom(`${s.studyInstanceUid}/ai-capture-series`),
    StudyID: '',
    SeriesNumber: '998',
    InstanceNumber: String(input.report.id),
    PatientOrientation: '',
    BodyPartExamined: 'CHEST',
    BurnedInAnnotation: 'YES',
    ImageComments: `AI OUTPUT - NOT A DIAGNOSIS. ${f.label} p=${f.probability.toFixed(2)}; accepted by ${input.report.signedBy} in the report signed ${input.report.signedAt}.`.slice(0, 10240),
    SamplesPerPixel: 3,
    PhotometricInterpretation: 'RGB',
    PlanarConfiguration: 0,
    Rows: totalH,
    Columns: width,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    PixelData: [data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)],
    _vrMap: { PixelData: 'OB' },
  };
  const { _meta, ...rest } = dataset;
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(_meta as Record<string, unknown>));
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(rest);
  return new Uint8Array(dict.write());
}
