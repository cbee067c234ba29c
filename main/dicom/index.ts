/** The DICOM reader: sniffing, header parsing, lazy frame decoding and DICOMDIR listing. See README.md. */
export { DicomError } from './errors.js';
export { sniffDicom } from './sniff.js';
export { parseDicom } from './parse.js';
export { isDicomdir, readDicomdir, type DicomdirListing } from './dicomdir.js';
export { SUPPORTED_TRANSFER_SYNTAXES, transferSyntaxInfo, type TransferSyntaxInfo } from './transferSyntax.js';
export type { DicomMetadata, ParsedDicom } from './types.js';
