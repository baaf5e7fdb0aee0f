// The one window: sandboxed, context-isolated, no Node, no navigation away, no pop-ups.
import { BrowserWindow, shell } from 'electron';

export interface WindowPaths {
  preload: string;
  rendererFile: string;
  /** electron-vite dev server URL, in `npm run dev` only. */
  devUrl?: string;
}

export function createMainWindow(paths: WindowPaths): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 880,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: 'Proctor',
    autoHideMenuBar: true,
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.setWindowOpenHandler(({ url }) => {
    // Links the user clicks (docs, issue pages) open in their browser; nothing opens inside Proctor.
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (url !== window.webContents.getURL()) event.preventDefault();
  });
  if (paths.devUrl) void window.loadURL(paths.devUrl);
  else void window.loadFile(paths.rendererFile);
  return window;
}
