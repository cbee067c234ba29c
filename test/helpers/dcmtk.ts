import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, startProcess, type Started } from './processes.js';

/**
 * storescu as an X-ray unit sends: one presentation context per storage class and transfer syntax (JPEG baseline,
 * JPEG 2000, JPEG lossless, RLE, uncompressed), so each file goes in its own encoding, untouched. storescu's `-x`
 * options propose one compressed syntax per run; an association profile (`-xf`) proposes them all.
 */
const PROFILE = `[[TransferSyntaxes]]
[JPEGBaseline]
TransferSyntax1 = 1.2.840.10008.1.2.4.50
[JPEGLossless]
TransferSyntax1 = 1.2.840.10008.1.2.4.70
[JPEG2000]
TransferSyntax1 = 1.2.840.10008.1.2.4.91
[JPEG2000Lossless]
TransferSyntax1 = 1.2.840.10008.1.2.4.90
[RLE]
TransferSyntax1 = 1.2.840.10008.1.2.5
[Uncompressed]
TransferSyntax1 = 1.2.840.10008.1.2.1
TransferSyntax2 = 1.2.840.10008.1.2

[[PresentationContexts]]
[Chest]
${['ComputedRadiographyImageStorage', 'DigitalXRayImageStorageForPresentation', 'DigitalXRayImageStorageForProcessing', 'SecondaryCaptureImageStorage']
  .flatMap((c) => ['JPEGBaseline', 'JPEGLossless', 'JPEG2000', 'JPEG2000Lossless', 'RLE', 'Uncompressed'].map((t) => `${c}\\${t}`))
  .map((pc, i) => `PresentationContext${i + 1} = ${pc}`)
  .join('\n')}

[[Profiles]]
[Chest]
PresentationContexts = Chest
`;

let profileFile: string | null = null;
function profile(): string {
  if (!profileFile) {
    profileFile = join(mkdtempSync(join(tmpdir(), 'cxr-storescu-')), 'chest.cfg');
    writeFileSync(profileFile, PROFILE);
  }
  return profileFile;
}

export interface Peer {
  host?: string;
  port: number;
  /** Called AE title. */
  aeTitle: string;
}

function storescuArgs(callingAeTitle: string, peer: Peer, files: string[]): string[] {
  return ['-xf', profile(), 'Chest', '-aet', callingAeTitle, '-aec', peer.aeTitle, '-to', '30', '-ta', '30', '-td', '60', peer.host ?? '127.0.0.1', String(peer.port), ...files];
}

/** Sends files with storescu on one association; answers the exit code and storescu's output (with each response's status when `verbose`). */
export function storescu(callingAeTitle: string, peer: Peer, files: string[], verbose = false, timeoutMs = 300_000) {
  return run('storescu', [...(verbose ? ['-v'] : []), ...storescuArgs(callingAeTitle, peer, files)], { timeoutMs });
}

/** Starts storescu in the background (the crash test kills the receiver while it runs); verbose, so each response is logged. */
export function startStorescu(callingAeTitle: string, peer: Peer, files: string[]): Started {
  return startProcess('storescu', ['-v', ...storescuArgs(callingAeTitle, peer, files)]);
}

export function echoscu(callingAeTitle: string, peer: Peer) {
  return run('echoscu', ['-aet', callingAeTitle, '-aec', peer.aeTitle, '-to', '10', peer.host ?? '127.0.0.1', String(peer.port)], { timeoutMs: 30_000 });
}
