// The window's security settings. Electron cannot run here, so `electron` is replaced by a stand-in
// BrowserWindow that records its options and listeners; nothing else of Electron is used by this module.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const created: FakeWindow[] = [];
const openExternal = vi.fn();

class FakeWindow {
  readonly listeners = new Map<string, (...args: unknown[]) => void>();
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  loaded: string | null = null;
  readonly webContents = {
    setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) =>
      (this.openHandler = handler),
    on: (event: string, listener: (...args: unknown[]) => void) => this.listeners.set(event, listener),
    getURL: () => this.loaded,
  };
  constructor(readonly options: { webPreferences: Record<string, unknown> }) {
    created.push(this);
  }
  once() {}
  show() {}
  loadFile(file: string) {
    this.loaded = `file://${file}`;
    return Promise.resolve();
  }
  loadURL(url: string) {
    this.loaded = url;
    return Promise.resolve();
  }
}

vi.mock('electron', () => ({ BrowserWindow: FakeWindow, shell: { openExternal } }));

const { createMainWindow } = await import('../../electron/main/window');

describe('createMainWindow', () => {
  beforeEach(() => {
    created.length = 0;
    openExternal.mockReset();
  });

  it('isolates the renderer: context isolation, sandbox, no Node', () => {
    createMainWindow({ preload: '/app/out/preload/index.cjs', rendererFile: '/app/out/renderer/index.html' });
    expect(created[0]!.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(created[0]!.loaded).toBe('file:///app/out/renderer/index.html');
  });

  it('denies window.open, handing https links to the browser', () => {
    const window = createMainWindow({ preload: 'p', rendererFile: '/r/index.html' });
    expect(created[0]!.openHandler!({ url: 'https://docs.python.org/3/' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://docs.python.org/3/');
    expect(created[0]!.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(1);
    expect(window).toBe(created[0]);
  });

  it('prevents navigation away from the renderer', () => {
    createMainWindow({ preload: 'p', rendererFile: '/r/index.html' });
    const navigate = created[0]!.listeners.get('will-navigate')!;
    const away = { preventDefault: vi.fn() };
    navigate(away, 'https://evil.invalid/');
    expect(away.preventDefault).toHaveBeenCalled();
    const stay = { preventDefault: vi.fn() };
    navigate(stay, 'file:///r/index.html');
    expect(stay.preventDefault).not.toHaveBeenCalled();
  });
});
