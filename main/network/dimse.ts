import dcmjsDimse from 'dcmjs-dimse';
import { IMPLEMENTATION_CLASS_UID } from '../reports/export/dicomSr.js';

/**
 * dcmjs-dimse, configured once for this workstation: our implementation class UID and version name in every
 * association, and its logger silenced (it logs every PDU at info level to the console; our code reports what
 * matters through events, the CLI and the UI instead).
 */
export const dimse = dcmjsDimse;
export const { Association, PresentationContext } = dimse.association;
export const { Status, PresentationContextResult, RejectResult, RejectSource, RejectReason, AbortSource, AbortReason, SopClass, StorageClass, TransferSyntax } = dimse.constants;

/** What we write as Implementation Version Name (SH, at most 16 characters). */
export const IMPLEMENTATION_VERSION = 'CXRWS_0_1';

dimse.Implementation.setImplementationClassUid(IMPLEMENTATION_CLASS_UID);
dimse.Implementation.setImplementationVersion(IMPLEMENTATION_VERSION);
dimse.log.setLevel('silent');

/** DIMSE status words we answer or read (PS3.7 Annex C). */
export const STATUS = {
  success: 0x0000,
  pending: 0xff00,
  cancel: 0xfe00,
  /** Out of resources (disk full, cannot write). */
  outOfResources: 0xa700,
  /** Data set does not match SOP class. */
  dataSetMismatch: 0xa900,
  /** Cannot understand (the object cannot be parsed or lacks required identifiers). */
  cannotUnderstand: 0xc000,
  /** Processing failure. */
  processingFailure: 0x0110,
  /** Refused: SOP class not supported. */
  sopClassNotSupported: 0x0122,
  /** Coercion of data elements, elements discarded, data set mismatch: warnings (object stored). */
  warningCoercion: 0xb000,
} as const;

/** 0x0000 → "0000". */
export function statusHex(status: number): string {
  return status.toString(16).toUpperCase().padStart(4, '0');
}

/** Success or a warning (0001, Bxxx): the object was stored. */
export function isStoredStatus(status: number): boolean {
  return status === 0 || status === 0x0001 || (status & 0xf000) === 0xb000;
}
