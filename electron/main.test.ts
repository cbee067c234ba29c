import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from './channels.js';

/**
 * Electron mocked (Electron Fiddle style): the real main.ts wires the real core (temporary data folder) into these
 * stand-ins, and the test checks the wiring from the outside.
 */
const fake = vi.hoisted(() => {
  const order: string[] = [];
  const appEvents = new Map<string, ((...args: unknown[]) => void)[]>();
  const windows: { options: Record<string, unknown>; loaded: string[]; webContents: unknown }[] = [];
  const state = {
    order,
    appEvents,
    /** Set by app.whenReady(); the test calls it to let the app start. */
    resolveReady: (() => undefined) as () => void,
    windows,
    privileged: [] as unknown[],
    protocolHandlers: new Map<string, (req: Request) => Promise<Response>>(),
    ipcHandlers: new Map<string, (...args: unknown[]) => unknown>(),
    ipcListeners: new Map<string, (...args: unknown[]) => void>(),
    menuTemplate: null as unknown,
    cspInstalled: false,
    exited: null as number | null,
    quitCalls: 0,
  };
  return state;
});

vi.mock('electron', () => {
  class BrowserWindow {
    static all: BrowserWindow[] = [];
    static getAllWindows = () => BrowserWindow.all;
    static getFocusedWindow = () => BrowserWindow.all[0] ?? null;
    webContents = { id: 1, sent: [] as unknown[][], send(...args: unknown[]) { this.sent.push(args); }, isDestroyed: () => false, once: () => {} };
    constructor(options: Record<string, unknown>) {
      fake.order.push('window');
      BrowserWindow.all.push(this);
      fake.windows.push({ options, loaded: this.loaded, webContents: this.webContents });
    }
    loaded: string[] = [];
    once() {}
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
  }
  return {
    app: {
      isPackaged: false,
      getAppPath: () => process.cwd(),
      getPath: () => join(tmpdir(), 'never-used'),
      getVersion: () => '0.0.0-test',
      on: (event: string, fn: (...args: unknown[]) => void) => {
        fake.appEvents.set(event, [...(fake.appEvents.get(event) ?? []), fn]);
      },
      requestSingleInstanceLock: () => true,
      whenReady: () => {
        fake.order.push('whenReady');
        return new Promise<void>((resolve) => {
          fake.resolveReady = resolve;
        });
      },
      quit: () => {
        fake.quitCalls++;
      },
      exit: (code: number) => {
        fake.exited = code;
      },
    },
    BrowserWindow,
    dialog: { showErrorBox: vi.fn(), showMessageBox: vi.fn(), showOpenDialog: vi.fn() },
    ipcMain: {
      handle: (channel: string, fn: (...args: unknown[]) => unknown) => fake.ipcHandlers.set(channel, fn),
      on: (channel: string, fn: (...args: unknown[]) => void) => fake.ipcListeners.set(channel, fn),
      removeHandler: (channel: string) => fake.ipcHandlers.delete(channel),
      removeListener: (channel: string) => fake.ipcListeners.delete(channel),
    },
    Menu: {
      buildFromTemplate: (template: unknown) => template,
      setApplicationMenu: (menu: unknown) => {
        fake.menuTemplate = menu;
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        fake.order.push('registerSchemes');
        fake.privileged.push(...schemes);
      },
      handle: (scheme: string, fn: (req: Request) => Promise<Response>) => fake.protocolHandlers.set(scheme, fn),
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: () => (fake.cspInstalled = true) },
        setPermissionRequestHandler: () => {},
        setPermissionCheckHandler: () => {},
      },
    },
  };
});

describe('electron/main.ts wiring', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cxr-electron-main-'));
  const savedDataDir = process.env.CXR_DATA_DIR;

  beforeAll(async () => {
    process.env.CXR_DATA_DIR = dataDir;
    await import('./main.js');
    fake.resolveReady();
    await vi.waitFor(() => expect(fake.windows.length).toBe(1));
  });

  afterAll(async () => {
    // Quitting closes the core (and with it the database) before the process would end.
    const event = { preventDefault: vi.fn() };
    for (const fn of fake.appEvents.get('before-quit') ?? []) fn(event);
    expect(event.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(fake.quitCalls).toBe(1));
    process.env.CXR_DATA_DIR = savedDataDir;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers the app scheme as privileged before the app is ready', () => {
    expect(fake.order.indexOf('registerSchemes')).toBeLessThan(fake.order.indexOf('whenReady'));
    expect(fake.privileged).toEqual([expect.objectContaining({ scheme: 'cxr-resource', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
    expect(fake.appEvents.has('web-contents-created')).toBe(true);
  });

  it('opens one sandboxed window on the app protocol, with the CSP installed and the menu set', () => {
    const win = fake.windows[0]!;
    expect(win.loaded).toEqual(['cxr-resource://app/index.html']);
    expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(String((win.options.webPreferences as { preload: string }).preload)).toMatch(/electron[\\/]preload\.cjs$/);
    expect(fake.cspInstalled).toBe(true);
    expect(JSON.stringify(fake.menuTemplate)).toContain('Import…');
  });

  it('answers the window over IPC through the real core, and serves its files over the protocol', async () => {
    const contents = fake.windows[0]!.webContents as { sent: unknown[][] };
    const send = fake.ipcListeners.get(IPC_CHANNELS.rpc)!;
    const event = { sender: contents, senderFrame: { url: 'cxr-resource://app/index.html', parent: null } };
    send(event, JSON.stringify({ id: 1, op: 'jobs:list', input: {} }));
    send(event, JSON.stringify({ id: 2, op: 'jobs:get', input: {} }));
    await vi.waitFor(() => expect(contents.sent).toHaveLength(2));
    const answers = contents.sent.map(([, m]) => JSON.parse(m as string) as { id: number; result: unknown });
    expect(answers.find((a) => a.id === 1)!.result).toEqual({ ok: true, value: [] });
    expect(answers.find((a) => a.id === 2)!.result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const protocolHandler = fake.protocolHandlers.get('cxr-resource')!;
    const missing = await protocolHandler(new Request('cxr-resource://app/files/nothing/here.png'));
    expect(missing.status).toBe(404);
  });
});
