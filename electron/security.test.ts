import { EventEmitter } from 'node:events';
import type { Session, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { appContentSecurityPolicy, isAppUrl } from './appProtocol.js';
import { buildMenuTemplate } from './menu.js';
import { resolveAppPaths } from './paths.js';
import { guardWebContents, hardenSession } from './security.js';
import { createMainWindow, mainWindowOptions } from './window.js';

describe('web contents guard', () => {
  class FakeContents extends EventEmitter {
    openHandler: ((details: { url: string }) => { action: string }) | null = null;
    setWindowOpenHandler(fn: (details: { url: string }) => { action: string }) {
      this.openHandler = fn;
    }
  }
  const navigate = (contents: FakeContents, event: string, url: string) => {
    let prevented = false;
    contents.emit(event, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  };

  it('blocks navigation, redirects, new windows and webviews that leave the app', () => {
    const contents = new FakeContents();
    guardWebContents(contents as unknown as WebContents, isAppUrl);
    expect(navigate(contents, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate(contents, 'will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'cxr-resource://app/index.html')).toBe(false);
    expect(contents.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'cxr-resource://app/index.html' })).toEqual({ action: 'deny' });
    let webviewPrevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (webviewPrevented = true) });
    expect(webviewPrevented).toBe(true);
  });
});

describe('session hardening', () => {
  it('adds the CSP to every response and grants no permission', () => {
    let onHeaders: ((details: { responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void) | undefined;
    let onRequest: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | undefined;
    let onCheck: (() => boolean) | undefined;
    const session = {
      webRequest: { onHeadersReceived: (fn: typeof onHeaders) => (onHeaders = fn) },
      setPermissionRequestHandler: (fn: typeof onRequest) => (onRequest = fn),
      setPermissionCheckHandler: (fn: typeof onCheck) => (onCheck = fn),
    };
    hardenSession(session as unknown as Session, appContentSecurityPolicy);
    let answer: unknown;
    onHeaders!({ responseHeaders: { 'X-Other': ['1'] } }, (r) => (answer = r));
    expect(answer).toEqual({ responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [appContentSecurityPolicy] } });
    let granted: boolean | undefined;
    onRequest!({}, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
    expect(onCheck!()).toBe(false);
  });
});

describe('main window', () => {
  it('is isolated and sandboxed; the preload gets no arguments (it is only a message port)', () => {
    const prefs = mainWindowOptions('/app/dist/electron/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(prefs.additionalArguments).toBeUndefined();
  });

  it('loads the app from its own protocol and shows when ready', () => {
    const made: { options: unknown; loaded: string[]; shown: boolean; ready?: () => void }[] = [];
    class FakeWindow {
      record = { options: undefined as unknown, loaded: [] as string[], shown: false, ready: undefined as (() => void) | undefined };
      constructor(options: unknown) {
        this.record.options = options;
        made.push(this.record);
      }
      once(event: string, fn: () => void) {
        if (event === 'ready-to-show') this.record.ready = fn;
      }
      show() {
        this.record.shown = true;
      }
      loadURL(url: string) {
        this.record.loaded.push(url);
        return Promise.resolve();
      }
    }
    createMainWindow(FakeWindow as never, '/p.cjs');
    expect(made[0]!.loaded).toEqual(['cxr-resource://app/index.html']);
    expect(made[0]!.shown).toBe(false);
    made[0]!.ready!();
    expect(made[0]!.shown).toBe(true);
  });
});

describe('application menu', () => {
  it('has File > Import…, View and Help > About wired to their actions; dev tools only unpackaged', () => {
    const done: string[] = [];
    const actions = { importFiles: () => done.push('files'), importFolder: () => done.push('folder'), about: () => done.push('about') };
    const menu = buildMenuTemplate(actions, { isMac: false, isPackaged: true });
    const find = (label: string) => menu.find((m) => m.label === label)!;
    const file = find('&File').submenu as { label?: string; click?: () => void }[];
    file.find((i) => i.label === 'Import…')!.click!();
    file.find((i) => i.label === 'Import Folder…')!.click!();
    (find('&Help').submenu as { label?: string; click?: () => void }[])[0]!.click!();
    expect(done).toEqual(['files', 'folder', 'about']);
    const roles = (m: typeof menu) => JSON.stringify(m);
    expect(roles(menu)).not.toContain('toggleDevTools');
    expect(roles(buildMenuTemplate(actions, { isMac: false, isPackaged: false }))).toContain('toggleDevTools');
    expect(buildMenuTemplate(actions, { isMac: true, isPackaged: true })[0]).toEqual({ role: 'appMenu' });
  });
});

describe('app paths', () => {
  const app = (isPackaged: boolean, appPath: string) => ({ isPackaged, getAppPath: () => appPath, getPath: () => '/home/u/.config/CXR' });

  it('uses userData and the models unpacked beside the asar when packaged', () => {
    expect(resolveAppPaths(app(true, '/opt/cxr/resources/app.asar'), {})).toEqual({
      dataDir: '/home/u/.config/CXR',
      modelsDirs: ['/opt/cxr/resources/app.asar.unpacked/models', '/home/u/.config/CXR/models'],
      rendererDir: '/opt/cxr/resources/app.asar/dist/renderer',
    });
  });

  it('uses the repository models and CXR_DATA_DIR in development', () => {
    const paths = resolveAppPaths(app(false, '/repo'), { CXR_DATA_DIR: '/tmp/data' });
    expect(paths.dataDir).toBe('/tmp/data');
    expect(paths.modelsDirs).toEqual(['/repo/models', '/tmp/data/models']);
  });
});
