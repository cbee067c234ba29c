import { EventEmitter } from 'node:events';
import type { IpcMain, WebContents, WebFrameMain } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CoreApi } from '../main/api/contract.js';
import { EventBus } from '../main/platform/eventBus.js';
import { JobRunner } from '../main/platform/jobRunner.js';
import { createJobService } from '../main/core/jobService.js';
import { isAppUrl } from './appProtocol.js';
import { IPC_CHANNELS } from './channels.js';
import { createSenderCheck, registerIpc } from './ipcMain.js';

/** ipcMain as Electron's: `handle` for invoke, `on` for send; the test plays the renderer side. */
class FakeIpcMain extends EventEmitter {
  handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  handle(channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) {
    this.handlers.set(channel, fn);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
}

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

  const invoke = (sender: FakeContents, frame: WebFrameMain | null, name: unknown, input: unknown) =>
    ipc.handlers.get(IPC_CHANNELS.invoke)!({ sender, senderFrame: frame }, name, input);
  const sendFrom = (sender: FakeContents, frame: WebFrameMain | null, channel: string, ...args: unknown[]) =>
    ipc.emit(channel, { sender, senderFrame: frame }, ...args);
  const appFrame = mainFrame('cxr-resource://app/index.html');

  it('answers the app window through dispatch: results, invalid_input, not_found', async () => {
    await expect(invoke(appContents, appFrame, 'jobs:list', {})).resolves.toEqual({ ok: true, value: [] });
    await expect(invoke(appContents, appFrame, 'jobs:get', { jobId: 5 })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    await expect(invoke(appContents, appFrame, 'shell:exec', {})).resolves.toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(calls).toEqual(['jobs:list']);
  });

  it('ignores other windows, iframes, foreign pages and destroyed frames', async () => {
    await expect(invoke(strangerContents, appFrame, 'jobs:list', {})).resolves.toBeUndefined();
    await expect(invoke(appContents, subFrame('cxr-resource://app/index.html'), 'jobs:list', {})).resolves.toBeUndefined();
    await expect(invoke(appContents, mainFrame('https://evil.example/'), 'jobs:list', {})).resolves.toBeUndefined();
    await expect(invoke(appContents, mainFrame('cxr-resource://other/index.html'), 'jobs:list', {})).resolves.toBeUndefined();
    await expect(invoke(appContents, null, 'jobs:list', {})).resolves.toBeUndefined();
    sendFrom(strangerContents, appFrame, IPC_CHANNELS.subscribe, 'jobs:onDidFinish');
    await jobs.wait(jobs.start('import', async () => undefined).id);
    expect(calls).toEqual([]);
    expect(strangerContents.sent).toEqual([]);
  });

  it('forwards subscribed events to the subscribing window only, until it unsubscribes', async () => {
    sendFrom(appContents, appFrame, IPC_CHANNELS.subscribe, 'jobs:onDidFinish');
    sendFrom(appContents, appFrame, IPC_CHANNELS.subscribe, 'jobs:onDidFinish');
    sendFrom(appContents, appFrame, IPC_CHANNELS.subscribe, 'not:anEvent');
    const first = await jobs.wait(jobs.start('import', async () => 'ok').id);
    expect(appContents.sent).toEqual([[IPC_CHANNELS.event, 'jobs:onDidFinish', first]]);
    sendFrom(appContents, appFrame, IPC_CHANNELS.unsubscribe, 'jobs:onDidFinish');
    await jobs.wait(jobs.start('import', async () => undefined).id);
    expect(appContents.sent).toHaveLength(1);
  });

  it('drops the subscriptions of a window that is destroyed, and all of them on dispose', async () => {
    sendFrom(appContents, appFrame, IPC_CHANNELS.subscribe, 'jobs:onDidFinish');
    appContents.destroy();
    await jobs.wait(jobs.start('import', async () => undefined).id);
    expect(appContents.sent).toEqual([]);
    dispose();
    expect(ipc.handlers.size).toBe(0);
    expect(ipc.listenerCount(IPC_CHANNELS.subscribe)).toBe(0);
  });
});
