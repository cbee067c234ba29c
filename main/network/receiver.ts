import { createServer, type Server, type Socket } from 'node:net';
import type { Admission, Sender } from './incomingObject.js';
import { dimse, PresentationContextResult, RejectReason, RejectResult, RejectSource, STATUS } from './dimse.js';
import type { Spool } from './spool.js';
import { chooseTransferSyntax, VERIFICATION_SOP_CLASS } from './storageClasses.js';
import { SpoolingPeer, type StoreHandler } from './storeScp.js';

type Association = InstanceType<typeof dimse.association.Association>;
type CEchoRequest = InstanceType<typeof dimse.requests.CEchoRequest>;
type CEchoResponse = InstanceType<typeof dimse.responses.CEchoResponse>;

export interface ReceiverConfig {
  aeTitle: string;
  port: number;
  bind: string;
  acceptAnyCaller: boolean;
  checkCalledAeTitle: boolean;
  /** Calling AE titles accepted when `acceptAnyCaller` is off: the configured nodes'. */
  knownCallers: ReadonlySet<string>;
  /** Storage SOP classes accepted. */
  storageClasses: ReadonlySet<string>;
}

export interface ReceiverHooks {
  onAdmission(admission: Admission, sender: Sender): void;
  onAssociation(sender: Sender): void;
  onRejected(sender: Sender, reason: string): void;
}

const UNCOMPRESSED = ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1'];

/**
 * The Storage SCP and Verification SCP: a TCP server on the configured address, one {@link SpoolingPeer} per
 * connection. dcmjs-dimse's own Server listens on every interface, so the socket server is ours (to honour
 * `bind`) and each connection is handed to the peer class as that Server would. Every association is isolated:
 * a peer's error ends its connection only, and a handler that throws is caught and logged.
 */
export class DicomReceiver {
  private server: Server | null = null;
  private readonly peers = new Set<ReceiverPeer>();

  constructor(
    private readonly spool: Spool,
    private config: ReceiverConfig,
    private readonly hooks: ReceiverHooks,
  ) {}

  /** The port actually listened on (when started on port 0). */
  get port(): number {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address.port : this.config.port;
  }

  /** New calling AE titles or storage classes take effect for the next association. */
  reconfigure(config: ReceiverConfig): void {
    this.config = config;
  }

  currentConfig(): ReceiverConfig {
    return this.config;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      const fail = (err: NodeJS.ErrnoException) => {
        server.close();
        reject(new Error(err.code === 'EADDRINUSE' ? `port ${this.config.port} on ${this.config.bind} is already in use` : `cannot listen on ${this.config.bind}:${this.config.port}: ${err.message}`));
      };
      server.once('error', fail);
      server.listen({ port: this.config.port, host: this.config.bind }, () => {
        server.off('error', fail);
        resolve();
      });
    });
    server.on('error', (err) => console.error('[dicom] receiver socket error:', err.message));
    this.server = server;
  }

  /**
   * Stops listening and closes open associations. Objects completely received are still admitted (stored or
   * quarantined) before this resolves; objects still arriving are dropped (the sender did not get "success").
   */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    const peers = [...this.peers];
    for (const p of peers) p.connection.destroy();
    await Promise.allSettled(peers.map((p) => p.settled()));
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    let peer: ReceiverPeer;
    try {
      peer = new ReceiverPeer(socket, { spool: this.spool, onAdmission: (a, s) => this.hooks.onAdmission(a, s) }, this.config, this.hooks);
    } catch (err) {
      console.error('[dicom] cannot set up an association:', err);
      socket.destroy();
      return;
    }
    // As dcmjs-dimse's Server does: the peer is connected from the start (its idle timers read these).
    Object.assign(peer, { connected: true, connectedTime: Date.now() });
    this.peers.add(peer);
    peer.on('networkError', () => socket.destroy());
    peer.on('close', () => this.peers.delete(peer));
    socket.on('close', () => this.peers.delete(peer));
  }
}

/** One association on the receiver: association checks, C-ECHO, and C-STORE through the spool. */
class ReceiverPeer extends SpoolingPeer {
  readonly #config: ReceiverConfig;
  readonly #hooks: ReceiverHooks;
  readonly #socket: Socket;

  constructor(socket: Socket, store: StoreHandler, config: ReceiverConfig, hooks: ReceiverHooks) {
    super(socket, store);
    this.#socket = socket;
    this.#config = config;
    this.#hooks = hooks;
  }

  get connection(): Socket {
    return this.#socket;
  }

  override associationRequested(association: Association): void {
    this.peerAeTitle = association.getCallingAeTitle().trim();
    const called = association.getCalledAeTitle().trim();
    const c = this.#config;
    let refusal: { reason: number; text: string } | null = null;
    if (c.checkCalledAeTitle && called !== c.aeTitle) {
      refusal = { reason: RejectReason.CalledAeNotRecognized, text: `called AE title "${called}" is not ours ("${c.aeTitle}")` };
    } else if (!c.acceptAnyCaller && !c.knownCallers.has(this.peerAeTitle)) {
      refusal = { reason: RejectReason.CallingAeNotRecognized, text: `calling AE title "${this.peerAeTitle}" is not a configured node` };
    }
    if (refusal) {
      this.#safely(() => this.#hooks.onRejected(this.sender, refusal.text));
      this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, refusal.reason);
      return;
    }
    for (const { context } of association.getPresentationContexts()) {
      const abstract = context.getAbstractSyntaxUid();
      const proposed = context.getTransferSyntaxUids();
      if (abstract === VERIFICATION_SOP_CLASS) {
        const ts = proposed.find((t) => UNCOMPRESSED.includes(t));
        if (ts) context.setResult(PresentationContextResult.Accept, ts);
        else context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
      } else if (c.storageClasses.has(abstract)) {
        const ts = chooseTransferSyntax(proposed);
        if (ts) context.setResult(PresentationContextResult.Accept, ts);
        else context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
      } else {
        context.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
      }
    }
    this.#safely(() => this.#hooks.onAssociation(this.sender));
    this.sendAssociationAccept();
  }

  override associationReleaseRequested(): void {
    // Answer the release only once every object of this association is stored or refused.
    void this.settled()
      .then(() => this.sendAssociationReleaseResponse())
      .catch(() => this.#socket.destroy());
  }

  override cEchoRequest(request: CEchoRequest, callback: (response: CEchoResponse) => void): void {
    const response = dimse.responses.CEchoResponse.fromRequest(request);
    response.setStatus(STATUS.success);
    callback(response);
  }

  override abort(): void {
    // The peer aborted: SpoolingPeer drops an object that was still arriving when the connection closes.
    this.#socket.destroy();
  }

  #safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      console.error('[dicom] receiver hook failed:', err);
    }
  }
}
