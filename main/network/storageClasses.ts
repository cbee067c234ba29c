import { SUPPORTED_TRANSFER_SYNTAXES } from '../dicom/index.js';

/**
 * What the receiver accepts. Storage classes: the chest ones a radiography unit or a PACS sends, plus any a site
 * enables in settings. Transfer syntaxes: every one the reader decodes (main/dicom), compressed included, so an
 * object is stored exactly as it was sent and never transcoded on the way in.
 */
export const CHEST_STORAGE_CLASSES: ReadonlyArray<{ uid: string; name: string }> = [
  { uid: '1.2.840.10008.5.1.4.1.1.1', name: 'Computed Radiography Image Storage' },
  { uid: '1.2.840.10008.5.1.4.1.1.1.1', name: 'Digital X-Ray Image Storage - For Presentation' },
  { uid: '1.2.840.10008.5.1.4.1.1.1.1.1', name: 'Digital X-Ray Image Storage - For Processing' },
  { uid: '1.2.840.10008.5.1.4.1.1.7', name: 'Secondary Capture Image Storage' },
];

export const VERIFICATION_SOP_CLASS = '1.2.840.10008.1.1';

/** Transfer syntaxes the receiver accepts, in the reader's table order. */
export const ACCEPTED_TRANSFER_SYNTAXES: ReadonlySet<string> = new Set(SUPPORTED_TRANSFER_SYNTAXES.map((t) => t.uid));

export function acceptedStorageClasses(extra: readonly string[]): Set<string> {
  return new Set([...CHEST_STORAGE_CLASSES.map((c) => c.uid), ...extra]);
}

/**
 * The transfer syntax to accept from those a peer proposes for one presentation context: the first we can read,
 * in the peer's order of preference (PS3.8: the proposer lists its preferred syntax first). A modality proposing
 * the object's own compressed syntax first thus sends it untouched.
 */
export function chooseTransferSyntax(proposed: readonly string[]): string | null {
  return proposed.find((ts) => ACCEPTED_TRANSFER_SYNTAXES.has(ts)) ?? null;
}
