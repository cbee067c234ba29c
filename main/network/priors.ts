import type { RemoteStudy } from '../api/network.js';

/**
 * The remote studies that belong to this patient: the same Patient ID, character for character. C-FIND and QIDO-RS
 * treat "*" and "?" in a key as wildcards and some PACSs match case-insensitively, so a query by Patient ID can
 * return other patients' studies; those are dropped here, because studies of different patients are never joined.
 */
export function samePatientOnly(found: readonly RemoteStudy[], patientId: string): RemoteStudy[] {
  return found.filter((s) => s.patientId === patientId);
}
