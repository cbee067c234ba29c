import type { IpcMain, IpcMainEvent, WebContents, WebFrameMain } from 'electron';
import type { RpcPort } from '../main/api/rpc.js';
import type { Core } from '../main/createCore.js';
import { serveRpc } from '../main/platform/rpcServer.js';
import { IPC_CHANNELS } from './channels.js';

/** Decides whether an IPC message comes from the app itself (see createSenderCheck). */
export type SenderCheck = (frame: WebFrameMain | null, contents: WebContents) => boolean;

export interface IpcAdapterOptions {
  ipcMain: Pick<IpcMain, 'on' | 'removeListener'>;
  core: Pick<Core, 'api' | 'subscribe'>;
  isTrustedSender: SenderCheck;
  /** Parse outputs against the contract too (development). */
  validateOutputs?: boolean;
}

/** One window's session: the port the RPC server reads, and how to end it. */
interface WindowSession {
  deliver(message: string): void;
  end(): void;
}

/**
 * The Electron end of the contract: each app window gets the RPC session every transport shares
 * (main/platform/rpcServer.ts) over the `cxr:rpc` channel; a page load (`cxr:rpc-open`) ends the window's previous
 * session and starts a fresh one, and a destroyed window ends its own. Messages from anything but the app's own
 * window and frame are ignored. Returns a function that removes the handlers and ends every session.
 */
export function registerIpc(options: IpcAdapterOptions): () => void {
  const { ipcMain, core, isTrustedSender } = options;
  const dispatchOptions = { validateOutput: options.validateOutputs ?? false };
  const sessions = new Map<number, WindowSession>();

  const trusted = (event: IpcMainEvent, what: string) => {
    if (isTrustedSender(event.senderFrame, event.sender)) return true;
    console.warn(`[ipc] ignored ${what} from a frame that is not the app (${event.senderFrame?.url ?? 'gone'})`);
    return false;
  };

  const startSession = (contents: WebContents): WindowSession => {
    sessions.get(contents.id)?.end();
    const messageListeners: Array<(m: string) => void> = [];
    const closeListeners: Array<() => void> = [];
    let ended = false;
    const port: RpcPort = {
      send(message) {
        if (!ended && !contents.isDestroyed()) contents.send(IPC_CHANNELS.rpc, message);
      },
      onMessage: (l) => messageListeners.push(l),
      onClose: (l) => closeListeners.push(l),
    };
    const session: WindowSession = {
      deliver: (message) => {
        for (const l of messageListeners) l(message);
      },
      end: () => {
        if (ended) return;
        ended = true;
        if (sessions.get(contents.id) === session) sessions.delete(contents.id);
        for (const l of closeListeners) l();
      },
    };
    sessions.set(contents.id, session);
    contents.once('destroyed', () => session.end());
    serveRpc(core, port, dispatchOptions);
    return session;
  };

  const onOpen = (event: IpcMainEvent) => {
    if (trusted(event, 'a session start')) startSession(event.sender);
  };
  const onMessage = (event: IpcMainEvent, message: unknown) => {
    if (!trusted(event, 'a message') || typeof message !== 'string') return;
    (sessions.get(event.sender.id) ?? startSession(event.sender)).deliver(message);
  };

  ipcMain.on(IPC_CHANNELS.open, onOpen);
  ipcMain.on(IPC_CHANNELS.rpc, onMessage);

  return () => {
    ipcMain.removeListener(IPC_CHANNELS.open, onOpen);
    ipcMain.removeListener(IPC_CHANNELS.rpc, onMessage);
    for (const session of [...sessions.values()]) session.end();
  };
}

/**
 * Trusts a sender only when it is the main frame of one of the app's windows and that frame shows the app itself
 * (not a page it was somehow navigated to, not an iframe).
 */
export function createSenderCheck(appWindows: () => ReadonlyArray<{ webContents: WebContents }>, isAppUrl: (url: string) => boolean): SenderCheck {
  return (frame, contents) => {
    if (!frame || frame.parent !== null) return false;
    if (!appWindows().some((w) => w.webContents === contents)) return false;
    return isAppUrl(frame.url);
  };
}
