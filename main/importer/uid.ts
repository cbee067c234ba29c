import { createHash } from 'node:crypto';

/**
 * A DICOM UID under the 2.25 root (ISO/IEC 9834-8: a UUID as a decimal integer), derived deterministically from
 * `seed` so that re-importing the same PNG/JPEG gives the same UIDs (no duplicates) without a registry of our own.
 */
export function uidFromSeed(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex').slice(0, 32);
  return `2.25.${BigInt(`0x${hex}`).toString(10)}`;
}
