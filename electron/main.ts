/**
 * The Electron main process: a thin host around the headless core. It creates the core, serves the renderer and its
 * files over the app's own protocol, answers IPC through the contract, and owns the window and the menu. No
 * workstation logic lives here.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dispatch } from '../main/api/dispatch.js';
import { createCore, type Core } from '../main/createCore.js';
import { APP_SCHEME, appContentSecurityPolicy, appSchemePrivileges, createAppProtocolHandler, isAppUrl } from './appProtocol.js';
import { createSenderCheck, registerIpc } from './ipcMain.js';
import { buildMenuTemplate } from './menu.js';
import { resolveAppPaths } from './paths.js';
import { guardWebContents, hardenSession } from './security.js';
import { createMainWindow } from './window.js';

const here = dirname(fileURLToPath(import.meta.url));
const preloadPath = join(here, 'preload.cjs');

// Must happen before `ready`: only privileged schemes get origins, fetch and secure-context status.
protocol.registerSchemesAsPrivileged([appSchemePrivileges]);
app.on('web-contents-created', (_event, contents) => guardWebContents(contents, isAppUrl));

// One instance per data folder: the SQLite index has one writer.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      // e.g. a database from a newer version, or a data folder that cannot be written: say so, then stop.
      console.error('[main] could not start:', err);
      dialog.showErrorBox('CXR Workstation could not start', err instanceof Error ? err.message : String(err));
      app.exit(1);
    });
}

async function start(): Promise<void> {
  const paths = resolveAppPaths(app);
  const core: Core = createCore({ dataDir: paths.dataDir, modelsDirs: paths.modelsDirs });

  hardenSession(session.defaultSession, appContentSecurityPolicy);
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ core, rendererDir: paths.rendererDir }));
  const disposeIpc = registerIpc({
    ipcMain,
    core,
    isTrustedSender: createSenderCheck(() => BrowserWindow.getAllWindows(), isAppUrl),
    validateOutputs: !app.isPackaged,
  });
  // The DICOM receiver runs with the app where the site enabled it (settings, or `cxr dicom config --enable`).
  void core.api['network:receiverStart']({ onlyIfEnabled: true }).then(
    (r) => r.state === 'failed' && console.error('[main] the DICOM receiver could not start:', r.error),
    (err: unknown) => console.error('[main] the DICOM receiver could not start:', err),
  );

  const runImport = async (properties: Electron.OpenDialogOptions['properties']) => {
    const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
    const options: Electron.OpenDialogOptions = { title: 'Import images', properties };
    const picked = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    if (picked.canceled || picked.filePaths.length === 0) return;
    // The renderer follows the job through jobs:onDidProgress / jobs:onDidFinish like any import it started itself.
    const result = await dispatch(core.api, 'import:start', { paths: picked.filePaths });
    if (!result.ok) dialog.showErrorBox('Import could not start', result.error.message);
  };
  const isMac = process.platform === 'darwin';
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate(
        {
          importFiles: () => void runImport(isMac ? ['openFile', 'openDirectory', 'multiSelections'] : ['openFile', 'multiSelections']),
          importFolder: () => void runImport(['openDirectory', 'multiSelections']),
          about: () =>
            void dialog.showMessageBox({
              type: 'info',
              title: 'About CXR Workstation',
              message: `CXR Workstation ${app.getVersion()}`,
              detail:
                'Offline chest X-ray reading workstation. AI findings are decision support for a qualified reader, ' +
                'not a diagnosis.\n\n' +
                `Data folder: ${paths.dataDir}\n` +
                `Electron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node ${process.versions.node}\n\n` +
                'Demo models trained on NIH ChestX-ray14 (Wang et al., CVPR 2017); thanks to the NIH Clinical Center.',
            }),
        },
        { isMac, isPackaged: app.isPackaged },
      ),
    ),
  );

  createMainWindow(BrowserWindow, preloadPath);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(BrowserWindow, preloadPath);
  });
  app.on('window-all-closed', () => {
    if (!isMac) app.quit();
  });

  // Jobs are cancelled and the database closed before the process ends, so nothing half-written is left behind.
  let closed = false;
  let closing = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    if (closing) return;
    closing = true;
    disposeIpc();
    core
      .close()
      .catch((err: unknown) => console.error('[main] closing the core failed:', err))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}
