import { EventEmitter } from 'node:events';
import type { IpcMain, WebContents, WebFrameMain } from 'electron';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CoreApi } from '../main/api/contract.js';
import { EventBus } from '../main/platform/eventBus.js';
import { JobRunner } from '../main/platform/jobRunner.js';
import { createJobService } from '../main/core/jobService.js';
import { isAppUrl } from './appProtocol.js';
import { IPC_CHANNELS } from './channels.js';
import { createSenderCheck, registerIpc } from './ipcMain.js';

/** ipcMain as Electron's: `on` for what the preload sends; the test plays the renderer side. */
class FakeIpcMain extends EventEmitter {}

class FakeContents extends EventEmitter {
  static nextId = 1;
  id = FakeContents.nextId++;
  sent: unknown[][] = [];
  destroyed = false;
  send(...args: unknown[]) {
    this.sent.push(args);
  }
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

const mainFrame = (url: string) => ({ url, parent: null }) as unknown as WebFrameMain;
const subFrame = (url: string) => ({ url, parent: mainFrame(url) }) as unknown as WebFrameMain;

describe('registerIpc', () => {
  let ipc: FakeIpcMain;
  let jobs: JobRunner;
  let appContents: FakeContents;
  let strangerContents: FakeContents;
  let calls: string[];
  let dispose: () => void;

  beforeEach(() => {
    ipc = new FakeIpcMain();
    const events = new EventBus();
    jobs = new JobRunner(events, 0);
    const service = createJobService({ jobs }) as unknown as CoreApi;
    calls = [];
    // The real job service, with a record of which operations actually reached it.
    const api = new Proxy(service, {
      get(target, key) {
        calls.push(String(key));
        return target[key as keyof CoreApi];
      },
    });
    appContents = new FakeContents();
    strangerContents = new FakeContents();
    const windows = [{ webContents: appContents as unknown as WebContents }];
    dispose = registerIpc({
      ipcMain: ipc as unknown as IpcMain,
      core: { api, subscribe: (name, fn) => events.subscribe(name, fn) },
      isTrustedSender: createSenderCheck(() => windows, isAppUrl),
      validateOutputs: true,
    });
  });

  const sendFrom = (sender: FakeContents, frame: WebFrameMain | null, channel: string, ...args: unknown[]) =>
    ipc.emit(channel, { sender, senderFrame: frame }, ...args);
  const appFrame = mainFrame('cxr-resource://app/index.html');
  const rpc = (sender: FakeContents, frame: WebFrameMain | null, message: unknown) =>
    sendFrom(sender, frame, IPC_CHANNELS.rpc, JSON.stringify(message));
  /** What the main process sent a window, parsed. */
  const received = (contents: FakeContents) =>
    contents.sent.map(([channel, message]) => {
      expect(channel).toBe(IPC_CHANNELS.rpc);
      return JSON.parse(message as string) as Record<string, unknown>;
    });
  const settle = () => new Promise((r) => setTimeout(r, 10));

  it('answers the app window through dispatch, by id: results, invalid_input, not_found', async () => {
    sendFrom(appContents, appFrame, IPC_CHANNELS.open);
    rpc(appContents, appFrame, { id: 1, op: 'jobs:list', input: {} });
    rpc(appContents, appFrame, { id: 2, op: 'jobs:get', input: { jobId: 5 } });
    rpc(appContents, appFrame, { id: 3, op: 'shell:exec', input: {} });
    sendFrom(appContents, appFrame, IPC_CHANNELS.rpc, 'not json');
    await settle();
    const got = received(appContents);
    expect(got).toEqual(
      expect.arrayContaining([
        { id: 1, result: { ok: true, value: [] } },
        { id: 2, result: expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'invalid_input' }) }) },
        { id: 3, result: expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'not_found' }) }) },
        { error: expect.objectContaining({ code: 'invalid_input' }) },
      ]),
    );
    expect(calls).toEqual(['jobs:list']);
  });

  it('ignores other windows, iframes, foreign pages and destroyed frames', async () => {
    const call = { id: 1, op: 'jobs:list', input: {} };
    rpc(strangerContents, appFrame, call);
    rpc(appContents, subFrame('cxr-resource://app/index.html'), call);
    rpc(appContents, mainFrame('https://evil.example/'), call);
    rpc(appContents, mainFrame('cxr-resource://other/index.html'), call);
    rpc(appContents, null, call);
    rpc(strangerContents, appFrame, { subscribe: 'jobs:onDidFinish' });
    await jobs.wait(jobs.start('import', async () => undefined).id);
    await settle();
    expect(calls).toEqual([]);
    expect(strangerContents.sent).toEqual([]);
    expect(appContents.sent).toEqual([]);
  });

  it('forwards subscribed events to the subscribing window only, until it unsubscribes', async () => {
    rpc(appContents, appFrame, { subscribe: 'jobs:onDidFinish' });
    rpc(appContents, appFrame, { subscribe: 'jobs:onDidFinish' });
    rpc(appContents, appFrame, { subscribe: 'not:anEvent' });
    const first = await jobs.wait(jobs.start('import', async () => 'ok').id);
    expect(received(appContents)).toEqual([
      { error: expect.objectContaining({ code: 'not_found' }) },
      { event: 'jobs:onDidFinish', payload: first },
    ]);
    rpc(appContents, appFrame, { unsubscribe: 'jobs:onDidFinish' });
    await jobs.wait(jobs.start('import', async () => undefined).id);
    expect(appContents.sent).toHaveLength(2);
  });

  it('ends a window session on reload (a fresh page), on destroy, and all of them on dispose', async () => {
    rpc(appContents, appFrame, { subscribe: 'jobs:onDidFinish' });
    sendFrom(appContents, appFrame, IPC_CHANNELS.open); // the page reloaded: its old subscriptions end
    await jobs.wait(jobs.start('import', async () => undefined).id);
    expect(appContents.sent).toEqual([]);
    rpc(appContents, appFrame, { subscribe: 'jobs:onDidFinish' });
    appContents.destroy();
    await jobs.wait(jobs.start('import', async () => undefined).id);
    expect(appContents.sent).toEqual([]);
    dispose();
    expect(ipc.listenerCount(IPC_CHANNELS.rpc)).toBe(0);
    expect(ipc.listenerCount(IPC_CHANNELS.open)).toBe(0);
  });
});
