import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  /** File > Import…: files (DICOM, PNG/JPEG, DICOMDIR, .zip). */
  importFiles(): void;
  /** File > Import Folder…: a folder walked recursively. */
  importFolder(): void;
  /** Help > About. */
  about(): void;
}

/** The application menu. Developer tools only outside a packaged build. */
export function buildMenuTemplate(actions: MenuActions, options: { isMac: boolean; isPackaged: boolean }): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (!options.isPackaged) view.push({ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' });
  return [
    ...(options.isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Import…', accelerator: 'CmdOrCtrl+O', click: () => actions.importFiles() },
        { label: 'Import Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.importFolder() },
        { type: 'separator' },
        options.isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: '&View', submenu: view },
    { role: 'windowMenu' },
    { label: '&Help', role: 'help', submenu: [{ label: 'About CXR Workstation', click: () => actions.about() }] },
  ];
}
