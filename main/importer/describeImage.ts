import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { DicomError, isDicomdir, parseDicom, sniffDicom, type DicomMetadata } from '../dicom/index.js';
import type { ImportLimits } from '../api/imports.js';
import type { ImageRecord } from '../db/records.js';
import { DEFAULT_DECODE_LIMITS, LimitExceeded, type DecodeLimits } from '../images/decodeLimits.js';
import { toDisplayGray8 } from '../images/display.js';
import { dicomFacts, RASTER_FACTS, type LoadedImage } from '../images/loadImage.js';
import { decodeRaster, rasterDisplayParameters, RasterError } from '../images/readRaster.js';
import { thumbnailPng } from '../images/thumbnail.js';
import type { SidecarEntry } from './sidecar.js';
import { uidFromSeed } from './uid.js';

export const THUMBNAIL_SIZE = 256;

/** Secondary Capture: what a PNG/JPEG becomes in DICOM terms. */
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';

export interface FileFacts {
  /** Identity path stored in the index (for a zip member: `archive.zip!/member`). */
  path: string;
  size: number;
  mtimeMs: number;
}

export type Description =
  /**
   * `warnings`: header values stored as absent, in words (listed in the import report with the file). `pixels`: the
   * decoded first frame, when asked for (analysis in the same pass uses the pixels the thumbnail was made from).
   */
  | { kind: 'image'; record: ImageRecord; warnings: string[]; pixels?: LoadedImage }
  | { kind: 'skip'; reason: string }
  | { kind: 'fail'; reason: string };

/**
 * Turns one file's bytes into what the index stores: patient/study/series/instance rows, reference findings and a
 * thumbnail written under `dataDir`. Pure with respect to the database, so it runs in a worker thread.
 * Failures come back as reasons (never thrown) so the import goes on; a file over the limits is refused from what it
 * declares, before its pixels are decoded.
 */
export async function describeImage(
  bytes: Uint8Array,
  facts: FileFacts,
  dataDir: string,
  sidecar: SidecarEntry | null,
  limits: DecodeLimits | ImportLimits = DEFAULT_DECODE_LIMITS,
  keepPixels = false,
): Promise<Description> {
  if (bytes.length === 0) return { kind: 'fail', reason: 'the file is empty' };
  const contentHash = createHash('sha256').update(bytes).digest('hex');
  try {
    if (sniffDicom(bytes)) return await describeDicom(bytes, facts, contentHash, dataDir, limits, keepPixels);
    if (isPng(bytes) || isJpeg(bytes)) return await describeRaster(bytes, facts, contentHash, dataDir, sidecar, limits, keepPixels);
    return { kind: 'fail', reason: 'not an image: neither DICOM nor PNG/JPEG' };
  } catch (err) {
    if (err instanceof DicomError || err instanceof RasterError) return { kind: 'fail', reason: stripSource(err.message, facts.path) };
    if (err instanceof LimitExceeded) return { kind: 'fail', reason: err.message };
    return { kind: 'fail', reason: `could not be read: ${(err as Error).message}` };
  }
}

function stripSource(message: string, path: string): string {
  return message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
}

function isPng(b: Uint8Array): boolean {
  return b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
}

function isJpeg(b: Uint8Array): boolean {
  return b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

async function writeThumbnail(dataDir: string, contentHash: string, png: Buffer): Promise<string> {
  const rel = join('thumbnails', contentHash.slice(0, 2), `${contentHash}.png`);
  await mkdir(join(dataDir, 'thumbnails', contentHash.slice(0, 2)), { recursive: true });
  await writeFile(join(dataDir, rel), png);
  return rel;
}

async function describeDicom(
  bytes: Uint8Array,
  facts: FileFacts,
  contentHash: string,
  dataDir: string,
  limits: DecodeLimits,
  keepPixels: boolean,
): Promise<Description> {
  const dicom = parseDicom(bytes, facts.path, limits);
  const m = dicom.meta;
  if (isDicomdir(m)) return { kind: 'skip', reason: 'a DICOMDIR (media directory), not an image: import it by its name DICOMDIR to follow its references' };
  if (!m.hasPixelData) return { kind: 'skip', reason: `no pixel data (SOP class ${m.sopClassUid || 'unknown'}, modality ${m.modality || 'unknown'})` };
  // A readable image without its UIDs (test files, some secondary captures) still gets indexed: UIDs derived from
  // the content are stable across re-imports, as for PNG/JPEG.
  const sopInstanceUid = m.sopInstanceUid || uidFromSeed(`dicom-instance:${contentHash}`);
  const frame = await dicom.decodeFrame(0);
  const gray8 = toDisplayGray8(frame, dicom.display);
  const thumbnailPath = await writeThumbnail(dataDir, contentHash, await thumbnailPng(gray8, frame.width, frame.height, THUMBNAIL_SIZE));
  const window = dicom.display.windows[0] ?? null;
  const studyUid = m.studyInstanceUid || uidFromSeed(`study:${sopInstanceUid}`);
  return {
    kind: 'image',
    warnings: m.warnings,
    ...(keepPixels ? { pixels: { frame, display: dicom.display, meta: dicomFacts(m) } } : {}),
    record: {
      patient: {
        // No Patient ID stays empty: the index then keeps the study a patient of its own, joined to no other.
        patientId: m.patientId.trim(),
        issuer: m.issuerOfPatientId,
        name: m.patientName,
        sex: m.patientSex,
        birthDate: m.patientBirthDate,
      },
      study: {
        studyInstanceUid: studyUid,
        date: m.studyDate,
        time: m.studyTime,
        description: m.studyDescription,
        accessionNumber: m.accessionNumber,
        referringPhysician: m.referringPhysician,
        institution: m.institutionName,
        ageYears: m.patientAgeYears ?? ageAt(m.patientBirthDate, m.studyDate),
      },
      series: {
        seriesInstanceUid: m.seriesInstanceUid || uidFromSeed(`series:${studyUid}:${m.modality}`),
        modality: m.modality || 'OT',
        seriesNumber: m.seriesNumber,
        description: m.seriesDescription,
        bodyPart: m.bodyPartExamined,
      },
      instance: {
        sopInstanceUid,
        sopClassUid: m.sopClassUid,
        instanceNumber: m.instanceNumber,
        format: 'dicom',
        transferSyntaxUid: m.transferSyntaxUid || null,
        rows: m.rows,
        columns: m.columns,
        frames: Math.max(1, m.numberOfFrames),
        bitsStored: m.bitsStored,
        photometric: m.photometric,
        viewPosition: m.viewPosition,
        bodyPart: m.bodyPartExamined,
        pixelSpacing: m.pixelSpacing,
        windowCenter: window?.center ?? null,
        windowWidth: window?.width ?? null,
        filePath: facts.path,
        fileSize: facts.size,
        fileMtimeMs: facts.mtimeMs,
        contentHash,
        thumbnailPath,
      },
      referenceFindings: [],
    },
  };
}

/** Whole years between a birth date and the study date (both YYYY-MM-DD). */
export function ageAt(birth: string | null, at: string | null): number | null {
  if (!birth || !at) return null;
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [ay, am, ad] = at.split('-').map(Number) as [number, number, number];
  const age = ay - by - (am < bm || (am === bm && ad < bd) ? 1 : 0);
  return age >= 0 && age < 150 ? age : null;
}

/**
 * The patient ID of a PNG/JPEG. NIH ChestX-ray14 patient numbers are written one way whatever the import route, as in
 * the file names (8 digits): labels.csv says `13125` for `00013125_000.png`, and the two must be one patient. Another
 * sidecar ID is kept as given; without one, the NIH number or the file's stem.
 */
export function rasterPatientId(sidecarId: string | undefined, nihNumber: string | undefined, stem: string): string {
  if (nihNumber && sidecarId !== undefined && /^\d{1,8}$/.test(sidecarId) && Number(sidecarId) === Number(nihNumber)) return nihNumber;
  return sidecarId ?? nihNumber ?? stem;
}

/**
 * PNG/JPEG: patient and study come from a sidecar row when there is one, else from the file name. NIH names are
 * `PATIENT_FOLLOWUP.png`: one patient, one study per follow-up. UIDs are derived from those keys (and the content
 * hash for the instance) so a re-import finds the same rows.
 */
async function describeRaster(
  bytes: Uint8Array,
  facts: FileFacts,
  contentHash: string,
  dataDir: string,
  sidecar: SidecarEntry | null,
  limits: DecodeLimits,
  keepPixels: boolean,
): Promise<Description> {
  const { info, frame } = await decodeRaster(bytes, facts.path, limits);
  const display = rasterDisplayParameters(info.bits);
  const gray8 = frame.data instanceof Uint8Array ? frame.data : toDisplayGray8(frame, display);
  const thumbnailPath = await writeThumbnail(dataDir, contentHash, await thumbnailPng(gray8, frame.width, frame.height, THUMBNAIL_SIZE));
  const name = basename(facts.path);
  const stem = basename(name, extname(name));
  const nih = /^(\d{8})_(\d{3})$/.exec(stem);
  const patientId = rasterPatientId(sidecar?.patientId, nih?.[1], stem);
  const studyKey = nih ? `${patientId}_${nih[2]}` : stem;
  const studyUid = uidFromSeed(`raster-study:${patientId}:${studyKey}`);
  let pixelSpacing: ImageRecord['instance']['pixelSpacing'] = null;
  if (sidecar?.originalSpacingMm && sidecar.originalWidth && sidecar.originalHeight) {
    // NIH publishes the detector spacing of the original acquisition; the PNG was resized to width x height.
    pixelSpacing = {
      rowMm: (sidecar.originalSpacingMm[0] * sidecar.originalHeight) / info.height,
      colMm: (sidecar.originalSpacingMm[1] * sidecar.originalWidth) / info.width,
      source: 'ImagerPixelSpacing',
    };
  }
  const labels = sidecar?.labels ?? [];
  const boxes = sidecar?.boxes ?? [];
  const unboxed = labels.filter((l) => !boxes.some((b) => b.label === l));
  return {
    kind: 'image',
    warnings: [],
    ...(keepPixels ? { pixels: { frame, display, meta: { ...RASTER_FACTS } } } : {}),
    record: {
      patient: {
        patientId,
        issuer: '',
        name: sidecar?.patientName ?? '',
        sex: sidecar?.sex ?? null,
        birthDate: null,
      },
      study: {
        studyInstanceUid: studyUid,
        date: sidecar?.studyDate && /^\d{4}-\d{2}-\d{2}$/.test(sidecar.studyDate) ? sidecar.studyDate : null,
        time: null,
        description: nih ? `Chest radiograph, follow-up ${Number(nih[2])}` : stem,
        accessionNumber: studyKey,
        referringPhysician: '',
        institution: '',
        ageYears: sidecar?.ageYears ?? null,
      },
      series: {
        seriesInstanceUid: uidFromSeed(`raster-series:${studyUid}`),
        modality: sidecar?.modality ?? 'OT',
        seriesNumber: 1,
        description: info.format.toUpperCase(),
        bodyPart: sidecar?.bodyPart ?? '',
      },
      instance: {
        sopInstanceUid: uidFromSeed(`raster-instance:${contentHash}`),
        sopClassUid: SECONDARY_CAPTURE,
        instanceNumber: 1,
        format: info.format,
        transferSyntaxUid: null,
        rows: info.height,
        columns: info.width,
        frames: 1,
        bitsStored: info.bits,
        photometric: info.channels >= 3 ? 'RGB' : 'MONOCHROME2',
        viewPosition: sidecar?.viewPosition ?? '',
        bodyPart: sidecar?.bodyPart ?? '',
        pixelSpacing,
        windowCenter: null,
        windowWidth: null,
        filePath: facts.path,
        fileSize: facts.size,
        fileMtimeMs: facts.mtimeMs,
        contentHash,
        thumbnailPath,
      },
      referenceFindings: [...boxes, ...unboxed.map((label) => ({ label, source: sidecar!.source, box: null }))],
    },
  };
}

export type { DicomMetadata };
