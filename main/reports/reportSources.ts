import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { AnalysisResult } from '../api/analysis.js';
import type { ReportLanguage } from '../api/reports.js';
import type { StudyDetail } from '../api/studies.js';
import type { IndexRepository } from '../db/indexRepository.js';
import type { StudyRepository } from '../db/studyRepository.js';
import { readDataSet } from '../dicom/readDataSet.js';
import type { AnalysisViews } from '../findings/analysisViews.js';
import type { PackRegistry } from '../inference/packRegistry.js';

/** A model pack as a report names it: its title and its intended use, from the manifest. */
export interface PackInfo {
  title: string;
  intendedUse: string;
}

/** Burned In Annotation (0028,0301) of an image: YES, NO, or null when the file does not say (PNG/JPEG, tag absent). */
export type BurnedIn = 'YES' | 'NO' | null;

/**
 * What the report service reads from the other domains: the study (index), the AI result of an image with the
 * reader's reviews (analysis), the packs' manifests, the images' burned-in status and PNG thumbnails. An interface so
 * the service can be tested with plain data and so the seams to the index and AI domains are in one place.
 */
export interface ReportSources {
  /** @throws CoreError('not_found') */
  study(studyId: number): StudyDetail;
  /** The latest analysis of an image presented in `language` (as `analysis:get` answers), or null. */
  analysis(instanceId: number, language: ReportLanguage): Promise<AnalysisResult | null>;
  /** The manifest's title and intended use of a pack version, or null when it is no longer installed. */
  pack(packId: string, packVersion: string): Promise<PackInfo | null>;
  /** Whether the image file says text is burned into its pixels (for de-identified exports). */
  burnedIn(instanceId: number): Promise<BurnedIn>;
  /** The image's thumbnail PNG, or null. */
  thumbnailPng(instanceId: number): Promise<Buffer | null>;
  /** The label's heatmap blended over the image's thumbnail, or null when the analysis kept no CAM. */
  heatmapPng(analysisId: number, label: string, instanceId: number): Promise<Buffer | null>;
}

/** (0028,0301) from a DICOM file's header; null when the file cannot be read or the tag is absent. */
export async function burnedInOfFile(path: string): Promise<BurnedIn> {
  const bytes = await readFile(path).catch(() => null);
  if (!bytes) return null;
  try {
    const value = readDataSet(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path).dataSet.string('x00280301')?.trim().toUpperCase();
    return value === 'YES' || value === 'NO' ? value : null;
  } catch {
    return null;
  }
}

/** The sources backed by the index, the pack registry and the analysis presentation every other view uses. */
export function createReportSources(deps: { studies: StudyRepository; index: IndexRepository; views: AnalysisViews; packs: PackRegistry; dataDir: string }): ReportSources {
  const { studies, index, views, packs, dataDir } = deps;
  const thumbnailPng = async (instanceId: number) => {
    const file = index.instanceFile(instanceId);
    return file ? readFile(join(dataDir, file.thumbnailPath)).catch(() => null) : null;
  };
  return {
    study: (studyId) => studies.get(studyId),
    analysis: (instanceId, language) => views.present(instanceId, language),
    async pack(packId, packVersion) {
      const pack = await packs.find(packId, packVersion);
      return pack ? { title: pack.manifest.title, intendedUse: pack.manifest.intendedUse } : null;
    },
    async burnedIn(instanceId) {
      const file = index.instanceFile(instanceId);
      return file?.format === 'dicom' ? burnedInOfFile(file.filePath) : null;
    },
    thumbnailPng,
    async heatmapPng(analysisId, label, instanceId) {
      const heat = await views.heatmapPng(analysisId, label);
      return heat ? blendOver(heat, await thumbnailPng(instanceId)) : null;
    },
  };
}

/** The RGBA heatmap over the greyscale image (resized to the heatmap), or over black when there is no image. */
export async function blendOver(heatmapRgba: Buffer, basePng: Buffer | null): Promise<Buffer> {
  const { width, height } = await sharp(heatmapRgba).metadata();
  const base = basePng
    ? sharp(basePng).resize(width, height, { fit: 'fill' }).removeAlpha()
    : sharp({ create: { width: width!, height: height!, channels: 3, background: { r: 0, g: 0, b: 0 } } });
  return base.composite([{ input: heatmapRgba }]).png().toBuffer();
}
