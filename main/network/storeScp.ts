import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { admitObject, SpoolWriter, type Admission, type Sender } from './incomingObject.js';
import { dimse, STATUS } from './dimse.js';
import { part10Header } from './part10.js';
import type { Spool } from './spool.js';

type Scp = InstanceType<typeof dimse.Scp>;
type ScpOptions = ConstructorParameters<typeof dimse.Scp>[1];
type CStoreRequest = InstanceType<typeof dimse.requests.CStoreRequest>;
type PresentationContext = InstanceType<typeof dimse.association.PresentationContext>;
type DataSet = InstanceType<typeof dimse.Dataset>;

/** What a peer that receives C-STOREs does with each object once it is admitted (or refused). */
export interface StoreHandler {
  spool: Spool;
  /** Called once per object with what became of it, before the C-STORE response goes out. */
  onAdmission(admission: Admission, sender: Sender): void;
}

/** Timeouts for one association (ms): idle peers are dropped rather than holding a connection for ever. */
export const ASSOCIATION_TIMEOUTS: ScpOptions = { connectTimeout: 120_000, associationTimeout: 30_000, pduTimeout: 120_000 };

/**
 * A dcmjs-dimse network peer that receives C-STORE data sets straight into the spool: each data set streams to a
 * partial file behind a Part 10 header (never held whole in memory, never re-encoded), is checked and stored or
 * quarantined, and only then answered. Used by the receiver (Storage SCP) and by C-GET, where the PACS sends the
 * objects back on our own association. If the association ends while an object is still arriving, its partial
 * file is removed: nothing half stored remains.
 */
export class SpoolingPeer extends dimse.Scp {
  // ES private fields: dcmjs-dimse keeps its own state in plain properties (requests, pending, dimse...) on this
  // same object, and a TypeScript `private` of the same name would overwrite them.
  readonly #peerAddress: string;
  readonly #store: StoreHandler;
  #current: SpoolWriter | null = null;
  readonly #admissions = new WeakMap<object, Admission>();
  readonly #storeRequests = new WeakMap<SpoolWriter, CStoreRequest>();
  readonly #inFlight = new Set<Promise<unknown>>();
  /** The calling AE title of the association (set by the acceptor side when the association is requested). */
  protected peerAeTitle = '';

  /** `peerAeTitle`: who sends, when known before the association (C-GET: the PACS we call). */
  constructor(socket: Socket, store: StoreHandler, options: ScpOptions = ASSOCIATION_TIMEOUTS, peerAeTitle = '') {
    super(socket, options);
    this.#store = store;
    this.peerAeTitle = peerAeTitle;
    this.#peerAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const dropPartial = () => void this.dropPartial();
    this.on('close', dropPartial);
    this.on('networkError', dropPartial);
  }

  get sender(): Sender {
    return { callingAeTitle: this.peerAeTitle, peer: this.#peerAddress };
  }

  /** Resolves when every object this peer began admitting has been stored or refused. */
  async settled(): Promise<void> {
    while (this.#inFlight.size) await Promise.allSettled([...this.#inFlight]);
  }

  override createStoreWritableStream(context: PresentationContext, request: CStoreRequest): Writable {
    const header = part10Header({
      sopClassUid: request.getAffectedSopClassUid(),
      sopInstanceUid: request.getAffectedSopInstanceUid(),
      transferSyntaxUid: context.getAcceptedTransferSyntaxUid() ?? '',
      sourceAeTitle: this.peerAeTitle,
    });
    const writer = new SpoolWriter(this.#store.spool.partialPath(), header);
    // A write error (disk full) surfaces when the object completes; without a listener it would crash the process.
    writer.on('error', () => undefined);
    this.#storeRequests.set(writer, request);
    this.#current = writer;
    return writer;
  }

  override createDatasetFromStoreWritableStream(writable: Writable, _context: PresentationContext, callback: (dataset: DataSet) => void): void {
    const writer = writable as SpoolWriter;
    const request = this.#storeRequests.get(writer)!;
    const expected = { sopClassUid: request.getAffectedSopClassUid(), sopInstanceUid: request.getAffectedSopInstanceUid() };
    const work = (async () => {
      let admission: Admission;
      try {
        await writer.done();
        if (this.#current === writer) this.#current = null;
        admission = await admitObject(this.#store.spool, writer.path, expected, this.sender);
      } catch (err) {
        await writer.discard();
        admission = { kind: 'failed', status: STATUS.outOfResources, reason: `cannot write the object: ${(err as Error).message}` };
      }
      this.#admissions.set(request, admission);
      try {
        this.#store.onAdmission(admission, this.sender);
      } catch (err) {
        console.error('[dicom] admission handler failed:', err);
      }
      callback(new dimse.Dataset({ SOPInstanceUID: expected.sopInstanceUid }));
    })().catch((err: unknown) => {
      // Nothing here may take the process down: this association ends, the others go on.
      console.error(`[dicom] C-STORE from ${this.sender.callingAeTitle} (${this.sender.peer}) failed:`, err);
      this.sendAbort();
    });
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  }

  override cStoreRequest(request: CStoreRequest, callback: (response: InstanceType<typeof dimse.responses.CStoreResponse>) => void): void {
    const admission = this.#admissions.get(request);
    const response = dimse.responses.CStoreResponse.fromRequest(request);
    if (!admission) {
      response.setStatus(STATUS.processingFailure);
      response.setErrorComment('no data set received');
    } else {
      response.setStatus(admission.status);
      if (admission.kind !== 'stored') response.setErrorComment(admission.reason.slice(0, 64));
    }
    callback(response);
  }

  /** The association ended (abort, close, error) while an object was arriving: remove what was written of it. */
  private async dropPartial(): Promise<void> {
    const writer = this.#current;
    this.#current = null;
    if (writer && !writer.complete && !writer.writableEnded) await writer.discard();
  }
}

export type { Scp };
