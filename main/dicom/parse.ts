import { DEFAULT_DECODE_LIMITS, LimitExceeded, type DecodeLimits } from '../images/decodeLimits.js';
import type { DecodedFrame, DisplayParameters } from '../images/types.js';
import { decodeFrame, FrameProblem, type FrameSource } from './decodeFrame.js';
import { DicomError, describeThrown } from './errors.js';
import { extractDisplay, extractMetadata } from './metadata.js';
import { readDataSet } from './readDataSet.js';
import { transferSyntaxInfo } from './transferSyntax.js';
import type { ParsedDicom } from './types.js';

/**
 * Parses a DICOM file's header: metadata and display parameters now, pixels on demand through `decodeFrame`. The
 * buffer is kept by reference (not copied) until the returned object is dropped.
 *
 * @param bytes the whole file
 * @param source the path (or another name) that error messages start with
 * @param limits checked before anything is inflated or decoded (the viewer's defaults unless the importer passes a
 *   site's own)
 * @throws DicomError when the bytes are not DICOM, the data set cannot be read, or it declares more than the limits
 */
export function parseDicom(bytes: Uint8Array, source: string, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): ParsedDicom {
  const read = readDataSet(bytes, source, limits);
  let meta;
  let display: DisplayParameters;
  try {
    meta = extractMetadata(read.dataSet, read.transferSyntaxUid, read.mediaStorageSopClassUid);
    display = extractDisplay(read.dataSet, meta);
  } catch (thrown) {
    throw new DicomError(source, `cannot read header values (${describeThrown(thrown)})`, { cause: thrown });
  }
  // Frames are returned as RGB whenever the file stores colour (YBR, palette), so the display describes them so.
  if (meta.samplesPerPixel === 3 || meta.photometric === 'PALETTE COLOR') display = { ...display, photometric: 'RGB' };

  const frameSource: FrameSource = { dataSet: read.dataSet, meta, syntax: transferSyntaxInfo(read.transferSyntaxUid), limits };
  return {
    meta,
    display,
    async decodeFrame(index = 0): Promise<DecodedFrame> {
      try {
        return await decodeFrame(frameSource, index);
      } catch (thrown) {
        if (thrown instanceof DicomError) throw thrown;
        const problem = describeThrown(thrown);
        const message =
          thrown instanceof FrameProblem || thrown instanceof LimitExceeded
            ? problem
            : `cannot decode frame ${index} (${transferLabel(meta.transferSyntaxUid)}): ${problem}`;
        throw new DicomError(source, message, { cause: thrown });
      }
    },
  };
}

function transferLabel(uid: string): string {
  const info = transferSyntaxInfo(uid);
  return info ? `${info.name}, ${uid}` : uid || 'unknown transfer syntax';
}
