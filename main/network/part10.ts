import { createRequire } from 'node:module';
import { IMPLEMENTATION_CLASS_UID } from '../reports/export/dicomSr.js';
import { IMPLEMENTATION_VERSION } from './dimse.js';

// dcmjs ships no type declarations; this is the little of it used here.
interface DcmjsSubset {
  data: {
    DicomDict: new (meta: unknown) => { dict: unknown; write(options?: unknown): ArrayBuffer };
    DicomMetaDictionary: { denaturalizeDataset(ds: Record<string, unknown>): unknown };
  };
}
const dcmjs = createRequire(import.meta.url)('dcmjs') as DcmjsSubset;

export interface Part10Identity {
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  /** The calling AE title of the association the object came in on (Source Application Entity Title). */
  sourceAeTitle?: string;
}

/**
 * The 128-byte preamble, "DICM" and the File Meta Information (group 0002) for a data set received over the
 * network. The data set's bytes follow unchanged, in the transfer syntax they were sent in: nothing is decoded or
 * re-encoded on the way to disk, so the stored object is exactly what the sender sent. dcmjs writes the group
 * (with an empty data set), including its group length and padding rules.
 */
export function part10Header(id: Part10Identity): Buffer {
  const meta: Record<string, unknown> = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: id.sopClassUid,
    MediaStorageSOPInstanceUID: id.sopInstanceUid,
    TransferSyntaxUID: id.transferSyntaxUid,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION,
  };
  if (id.sourceAeTitle) meta.SourceApplicationEntityTitle = id.sourceAeTitle;
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = {};
  return Buffer.from(dict.write());
}
