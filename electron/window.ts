import type { BrowserWindow as BrowserWindowClass, BrowserWindowConstructorOptions } from 'electron';
import { APP_INDEX_URL } from './appProtocol.js';

/**
 * The window's options. Every security-relevant preference is spelled out even where it is Electron's default, so a
 * future default change or a careless edit shows up in review and in electron/window.test.ts.
 */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 920,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    backgroundColor: '#111111',
    title: 'CXR Workstation',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/** Creates the app window and loads the renderer from the app's own protocol. */
export function createMainWindow(BrowserWindow: typeof BrowserWindowClass, preloadPath: string): BrowserWindowClass {
  const win = new BrowserWindow(mainWindowOptions(preloadPath));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_INDEX_URL);
  return win;
}
