import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { dispatch } from '../main/api/dispatch.js';
import { events, type EventName } from '../main/api/events.js';
import type { Core } from '../main/createCore.js';
import { IPC_CHANNELS } from './channels.js';

/** Decides whether an IPC message comes from the app itself (see createSenderCheck). */
export type SenderCheck = (frame: WebFrameMain | null, contents: WebContents) => boolean;

export interface IpcAdapterOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler' | 'on' | 'removeListener'>;
  core: Pick<Core, 'api' | 'subscribe'>;
  isTrustedSender: SenderCheck;
  /** Parse outputs against the contract too (development). */
  validateOutputs?: boolean;
}

function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

/**
 * The Electron end of the contract: `invoke` goes through `dispatch` (every input validated by its zod schema) and
 * events are forwarded to the windows that subscribed. Messages from anything but the app's own window and frame
 * are ignored. Returns a function that removes the handlers.
 */
export function registerIpc(options: IpcAdapterOptions): () => void {
  const { ipcMain, core, isTrustedSender } = options;
  const dispatchOptions = { validateOutput: options.validateOutputs ?? false };
  /** Per renderer (webContents id): the events it listens to and how to stop. */
  const subscriptions = new Map<number, Map<EventName, () => void>>();

  const trusted = (event: IpcMainEvent | IpcMainInvokeEvent, what: string) => {
    if (isTrustedSender(event.senderFrame, event.sender)) return true;
    console.warn(`[ipc] ignored ${what} from a frame that is not the app (${event.senderFrame?.url ?? 'gone'})`);
    return false;
  };

  const onInvoke = async (event: IpcMainInvokeEvent, name: unknown, input: unknown) => {
    if (!trusted(event, 'a call')) return undefined;
    return dispatch(core.api, typeof name === 'string' ? name : String(name), input, dispatchOptions);
  };

  const onSubscribe = (event: IpcMainEvent, name: unknown) => {
    if (!trusted(event, 'a subscription') || !isEventName(name)) return;
    const contents = event.sender;
    let mine = subscriptions.get(contents.id);
    if (!mine) {
      const created = new Map<EventName, () => void>();
      subscriptions.set(contents.id, (mine = created));
      contents.once('destroyed', () => {
        for (const stop of created.values()) stop();
        subscriptions.delete(contents.id);
      });
    }
    if (mine.has(name)) return;
    mine.set(
      name,
      core.subscribe(name, (payload) => {
        if (!contents.isDestroyed()) contents.send(IPC_CHANNELS.event, name, payload);
      }),
    );
  };

  const onUnsubscribe = (event: IpcMainEvent, name: unknown) => {
    if (!trusted(event, 'an unsubscription') || !isEventName(name)) return;
    const mine = subscriptions.get(event.sender.id);
    mine?.get(name)?.();
    mine?.delete(name);
  };

  ipcMain.handle(IPC_CHANNELS.invoke, onInvoke);
  ipcMain.on(IPC_CHANNELS.subscribe, onSubscribe);
  ipcMain.on(IPC_CHANNELS.unsubscribe, onUnsubscribe);

  return () => {
    ipcMain.removeHandler(IPC_CHANNELS.invoke);
    ipcMain.removeListener(IPC_CHANNELS.subscribe, onSubscribe);
    ipcMain.removeListener(IPC_CHANNELS.unsubscribe, onUnsubscribe);
    for (const mine of subscriptions.values()) for (const stop of mine.values()) stop();
    subscriptions.clear();
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
