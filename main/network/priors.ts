import type { RemoteStudy } from '../api/network.js';

/** What the importer stores as Patient ID for an image without one (main/importer/describeImage.ts). */
export const NO_PATIENT_ID = '(no ID)';

/** Whether a local study's Patient ID can identify the patient on another system. */
export function isMatchablePatientId(patientId: string): boolean {
  const id = patientId.trim();
  return id !== '' && id !== NO_PATIENT_ID;
}

/**
 * The remote studies that belong to this patient: the same Patient ID, character for character. C-FIND and QIDO-RS
 * treat "*" and "?" in a key as wildcards and some PACSs match case-insensitively, so a query by Patient ID can
 * return other patients' studies; those are dropped here, because studies of different patients are never joined.
 */
export function samePatientOnly(found: readonly RemoteStudy[], patientId: string): RemoteStudy[] {
  return found.filter((s) => s.patientId === patientId);
}
