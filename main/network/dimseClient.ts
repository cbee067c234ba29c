import { connect } from 'node:net';
import type { DimseNode } from '../api/network.js';
import { dimse, RejectReason, SopClass, STATUS, statusHex } from './dimse.js';
import { SpoolingPeer, type StoreHandler } from './storeScp.js';

type Request = InstanceType<typeof dimse.requests.Request>;
type Response = InstanceType<typeof dimse.responses.Response>;
type CFindRequest = InstanceType<typeof dimse.requests.CFindRequest>;
type CMoveRequest = InstanceType<typeof dimse.requests.CMoveRequest>;
type CGetRequest = InstanceType<typeof dimse.requests.CGetRequest>;
type MoveOrGetResponse = InstanceType<typeof dimse.responses.CMoveResponse> | InstanceType<typeof dimse.responses.CGetResponse>;

/** A DIMSE request failed: the message says which node and why, in words a site can act on. */
export class DimseError extends Error {}

/** Our side of an association: the calling AE title (our receiver's) and the node called. */
export interface Caller {
  aeTitle: string;
}

const TIMEOUTS = { connectTimeout: 15_000, associationTimeout: 15_000, pduTimeout: 120_000 };

function rejectText(r: { result: number; source: number; reason: number }): string {
  const reasons: Record<number, string> = {
    [RejectReason.CallingAeNotRecognized]: 'our AE title is not known to it (add this workstation to the node)',
    [RejectReason.CalledAeNotRecognized]: 'its AE title is not the one configured here',
    [RejectReason.TemporaryCongestion]: 'temporary congestion',
    [RejectReason.LocalLimitExceeded]: 'too many associations',
  };
  return reasons[r.reason] ?? `result ${r.result}, source ${r.source}, reason ${r.reason}`;
}

function where(node: DimseNode): string {
  return `${node.name} (${node.aeTitle}@${node.host}:${node.port})`;
}

/**
 * Runs requests on one association with dcmjs-dimse's Client and resolves when the association is released.
 * Rejects with a {@link DimseError} when the node cannot be reached, rejects the association, or drops it.
 */
function runAssociation(node: DimseNode, caller: Caller, requests: Request[], signal?: AbortSignal): Promise<InstanceType<typeof dimse.Client>> {
  const client = new dimse.Client();
  for (const r of requests) client.addRequest(r);
  return new Promise((resolve, reject) => {
    let failed = false;
    const fail = (message: string) => {
      if (failed) return;
      failed = true;
      reject(new DimseError(message));
    };
    client.on('associationRejected', (r: { result: number; source: number; reason: number }) => fail(`${where(node)} refused the association: ${rejectText(r)}`));
    client.on('networkError', (e: Error) => fail(`${where(node)}: ${e.message.replace(/^.*-> /, '')}`));
    client.on('closed', () => (failed ? undefined : resolve(client)));
    const onAbort = () => {
      for (const r of requests) {
        try {
          client.cancel(r as CFindRequest);
        } catch {
          // Not yet connected or already done: the release that follows ends the association.
        }
      }
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    client.send(node.host, node.port, caller.aeTitle, node.aeTitle, TIMEOUTS);
  });
}

/** C-ECHO: whether the node answers, and how long the round trip took. */
export async function echo(node: DimseNode, caller: Caller): Promise<{ status: number; milliseconds: number }> {
  const started = performance.now();
  const request = new dimse.requests.CEchoRequest();
  let status: number | null = null;
  request.on('response', (r: Response) => (status = r.getStatus()));
  await runAssociation(node, caller, [request]);
  if (status === null) throw new DimseError(`${where(node)} accepted the association but not the Verification service (C-ECHO)`);
  return { status, milliseconds: performance.now() - started };
}

/**
 * Study-root C-FIND at STUDY level. Answers the matches' attributes (dcmjs naturalized form), at most `limit`:
 * past that the query is cancelled (C-CANCEL) and `truncated` is set.
 */
export async function findStudies(node: DimseNode, caller: Caller, keys: Record<string, unknown>, limit: number): Promise<{ matches: Array<Record<string, unknown>>; truncated: boolean }> {
  const request = dimse.requests.CFindRequest.createStudyFindRequest(keys);
  const matches: Array<Record<string, unknown>> = [];
  let final: number | null = null;
  let truncated = false;
  const abort = new AbortController();
  request.on('response', (r: Response) => {
    const status = r.getStatus();
    if (status === STATUS.pending || status === 0xff01) {
      const ds = r.getDataset();
      if (ds && matches.length < limit) matches.push(ds.getElements());
      else if (matches.length >= limit && !truncated) {
        truncated = true;
        abort.abort();
      }
    } else final = status;
  });
  await runAssociation(node, caller, [request], abort.signal);
  if (final === null) throw new DimseError(`${where(node)} accepted the association but not Study Root Query/Retrieve - FIND`);
  if (final !== STATUS.success && final !== STATUS.cancel) throw new DimseError(`${where(node)} answered the C-FIND with status ${statusHex(final)}`);
  return { matches, truncated };
}

/** Progress of a C-MOVE or C-GET, from its pending responses. */
export interface RetrieveProgress {
  remaining: number | null;
  completed: number;
  failed: number;
  warnings: number;
}

export interface RetrieveResult extends RetrieveProgress {
  status: number;
  cancelled: boolean;
}

function progressOf(r: MoveOrGetResponse): RetrieveProgress {
  const n = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0) || 0);
  const remaining = r.getRemaining() as unknown;
  return { remaining: remaining === undefined || remaining === '' ? null : n(remaining), completed: n(r.getCompleted()), failed: n(r.getFailures()), warnings: n(r.getWarnings()) };
}

function retrieveResult(node: DimseNode, what: string, last: MoveOrGetResponse | null, cancelled: boolean): RetrieveResult {
  if (!last) throw new DimseError(`${where(node)} accepted the association but not Study Root Query/Retrieve - ${what}`);
  const status = last.getStatus();
  const result = { ...progressOf(last), status, cancelled: cancelled || status === STATUS.cancel };
  if (!result.cancelled && status !== STATUS.success && (status & 0xf000) !== 0xb000) {
    const comment = last.getErrorComment?.() ? `: ${last.getErrorComment()}` : '';
    throw new DimseError(`${where(node)} answered the ${what} with status ${statusHex(status)}${comment} (${result.completed} completed, ${result.failed} failed)`);
  }
  return result;
}

/** C-MOVE of a study to `destination` (our receiver's AE title). Objects arrive on the receiver's own associations. */
export async function moveStudy(node: DimseNode, caller: Caller, destination: string, studyInstanceUid: string, onProgress: (p: RetrieveProgress) => void, signal: AbortSignal): Promise<RetrieveResult> {
  const request: CMoveRequest = dimse.requests.CMoveRequest.createStudyMoveRequest(destination, studyInstanceUid);
  let last: MoveOrGetResponse | null = null;
  request.on('response', (r: MoveOrGetResponse) => {
    last = r;
    if (r.getStatus() === STATUS.pending) onProgress(progressOf(r));
  });
  await runAssociation(node, caller, [request], signal);
  try {
    return retrieveResult(node, 'C-MOVE', last, signal.aborted);
  } catch (err) {
    if (err instanceof DimseError && (last as MoveOrGetResponse | null)?.getStatus() === 0xa801) {
      throw new DimseError(`${where(node)} does not know the move destination "${destination}": add this workstation (AE title ${destination}, its host and receiver port) to the PACS's modalities`);
    }
    throw err;
  }
}

/** Transfer syntaxes offered for C-GET sub-operations: one presentation context each, so the PACS never has to transcode. */
const GET_TRANSFER_SYNTAXES = [
  '1.2.840.10008.1.2.1',
  '1.2.840.10008.1.2',
  '1.2.840.10008.1.2.4.50',
  '1.2.840.10008.1.2.4.51',
  '1.2.840.10008.1.2.4.57',
  '1.2.840.10008.1.2.4.70',
  '1.2.840.10008.1.2.4.80',
  '1.2.840.10008.1.2.4.81',
  '1.2.840.10008.1.2.4.90',
  '1.2.840.10008.1.2.4.91',
  '1.2.840.10008.1.2.5',
];

/**
 * C-GET of a study: the PACS sends the objects back as C-STORE sub-operations on this association, which stream
 * into the spool exactly as the receiver's do (checked, stored or quarantined, then answered).
 */
export function getStudy(
  node: DimseNode,
  caller: Caller,
  storageClasses: Iterable<string>,
  store: StoreHandler,
  studyInstanceUid: string,
  onProgress: (p: RetrieveProgress) => void,
  signal: AbortSignal,
): Promise<RetrieveResult> {
  const request: CGetRequest = dimse.requests.CGetRequest.createStudyGetRequest(studyInstanceUid);
  request.setAddStorageSopClassesToAssociation(false);
  const association = new dimse.association.Association(caller.aeTitle, node.aeTitle);
  const getContext = association.addPresentationContext(SopClass.StudyRootQueryRetrieveInformationModelGet);
  association.addTransferSyntaxToPresentationContext(getContext, '1.2.840.10008.1.2.1');
  association.addTransferSyntaxToPresentationContext(getContext, '1.2.840.10008.1.2');
  for (const sopClass of storageClasses) {
    for (const ts of GET_TRANSFER_SYNTAXES) {
      const id = association.addPresentationContext(sopClass);
      association.addTransferSyntaxToPresentationContext(id, ts);
      association.getPresentationContext(id).setUserRole(false);
      association.getPresentationContext(id).setProviderRole(true);
    }
  }
  return new Promise((resolve, reject) => {
    const socket = connect({ host: node.host, port: node.port });
    const peer = new SpoolingPeer(socket, store, TIMEOUTS, node.aeTitle);
    let last: MoveOrGetResponse | null = null;
    let failure: string | null = null;
    const fail = (message: string) => {
      failure ??= message;
      socket.destroy();
    };
    request.on('response', (r: MoveOrGetResponse) => {
      last = r;
      if (r.getStatus() === STATUS.pending) onProgress(progressOf(r));
    });
    const onAbort = () => peer.sendCancel(request);
    signal.addEventListener('abort', onAbort, { once: true });
    peer.on('connect', () => peer.sendAssociationRequest(association));
    peer.on('associationAccepted', () => peer.sendRequests(request));
    peer.on('associationRejected', (r: { result: number; source: number; reason: number }) => fail(`${where(node)} refused the association: ${rejectText(r)}`));
    peer.on('done', () =>
      void peer
        .settled()
        .then(() => peer.sendAssociationReleaseRequest())
        .catch(() => socket.destroy()),
    );
    peer.on('associationReleaseResponse', () => socket.end());
    peer.on('networkError', (e: Error) => fail(`${where(node)}: ${e.message.replace(/^.*-> /, '')}`));
    socket.on('close', () => {
      signal.removeEventListener('abort', onAbort);
      void peer.settled().then(() => {
        if (failure) return reject(new DimseError(failure));
        try {
          resolve(retrieveResult(node, 'C-GET', last, signal.aborted));
        } catch (err) {
          reject(err);
        }
      });
    });
  });
}

/** C-STORE of Part 10 files to a node, one association; answers each file's status. */
export async function storeFiles(node: DimseNode, caller: Caller, files: string[]): Promise<Array<{ file: string; status: number; comment: string }>> {
  const out: Array<{ file: string; status: number; comment: string }> = files.map((file) => ({ file, status: -1, comment: 'not sent: the node accepted no presentation context for it' }));
  const requests = files.map((file, i) => {
    const r = new dimse.requests.CStoreRequest(file);
    r.on('response', (response: Response) => {
      out[i] = { file, status: response.getStatus(), comment: response.getErrorComment?.() ?? '' };
    });
    return r;
  });
  await runAssociation(node, caller, requests);
  return out;
}

