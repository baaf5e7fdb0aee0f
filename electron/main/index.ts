// Electron main: app lifecycle, the window, the tray and the quit policy, over the same ProctorService
// that headless mode serves. Everything the window does goes through the contract (./ipc).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, Menu, Tray, app, dialog, ipcMain, nativeImage, type WebFrameMain } from 'electron';
import { version } from '../../package.json';
import type { ChildSpec, LessonSummary } from '../../shared/model';
import { appPaths } from '../core/app-paths';
import { createLessons } from '../core/lessons';
import { ProctorService } from '../core/service';
import { forwardEvents, registerContractHandlers } from './ipc';
import { QUIT_DIALOG_CHOICES, planQuit, quitDialogOptions } from './quit';
import { trayMenuTemplate, trayTooltip } from './tray';
import { createMainWindow } from './window';

const RECENT_SPECS = 5;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void run();
}

async function run(): Promise<void> {
  await app.whenReady();
  const paths = appPaths(app.getAppPath());
  const service = new ProctorService({
    version,
    transport: 'ipc',
    settingsFile: join(app.getPath('userData'), 'settings.json'),
    lessons: (service) => createLessons(service, { dir: paths.lessons }),
  });
  await service.start();

  let window: BrowserWindow | null = null;
  let quitting = false;
  const recentSpecs: ChildSpec[] = [];
  let lessons: readonly LessonSummary[] = [];

  const openWindow = (): BrowserWindow => {
    if (window && !window.isDestroyed()) return window;
    const created = createMainWindow({
      preload: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
      rendererFile: join(paths.renderer, 'index.html'),
      devUrl: process.env.ELECTRON_RENDERER_URL,
    });
    created.on('close', (event) => {
      if (!quitting && service.settings.get().hideOnClose) {
        event.preventDefault();
        created.hide();
        refreshTray();
      }
    });
    created.on('closed', () => (window = null));
    window = created;
    return created;
  };

  const isTrustedFrame = (frame: WebFrameMain | null): boolean =>
    frame !== null && window !== null && !window.isDestroyed() && frame === window.webContents.mainFrame;
  registerContractHandlers(ipcMain, service, isTrustedFrame);
  forwardEvents(service, (channel, payload) => {
    if (window && !window.isDestroyed()) window.webContents.send(channel, payload);
  });

  const tray = new Tray(nativeImage.createFromPath(join(paths.root, 'resources', 'tray.png')));
  const runningCount = () => service.supervisor.children().filter((child) => child.isAlive()).length;
  const refreshTray = (): void => {
    const { language } = service.settings.get();
    tray.setToolTip(trayTooltip(runningCount(), language));
    tray.setContextMenu(
      Menu.buildFromTemplate(
        trayMenuTemplate(
          {
            windowVisible: window?.isVisible() ?? false,
            running: runningCount(),
            paused: service.monitor.stats().paused,
            recentSpecs,
            lessons,
            language,
          },
          {
            toggleWindow: () => {
              const shown = openWindow();
              if (shown.isVisible()) shown.hide();
              else shown.show();
              refreshTray();
            },
            showStart: () => openWindow().show(),
            startSpec: (spec) => void service.invoke('children:start', spec),
            terminateAll: () => {
              for (const child of service.supervisor.children()) if (child.isAlive()) void child.terminate();
            },
            setPaused: (paused) => void service.invoke('monitor:setPaused', { paused }).then(refreshTray),
            runLesson: (id) => void service.invoke('lessons:run', { id }),
            quit: () => app.quit(),
          },
        ),
      ),
    );
  };
  // A language switch in the window renames the tray's items too.
  service.on('settings:changed', () => refreshTray());
  service.on('child:state', (info) => {
    if (
      info.state === 'running' &&
      !recentSpecs.some((spec) => JSON.stringify(spec) === JSON.stringify(info.spec))
    ) {
      recentSpecs.unshift(info.spec);
      recentSpecs.splice(RECENT_SPECS);
    }
    refreshTray();
  });
  const listed = await service.invoke('lessons:list', {});
  if (listed.ok) lessons = (listed.value as { lessons: LessonSummary[] }).lessons;
  refreshTray();
  openWindow();

  app.on('second-instance', () => openWindow().show());
  app.on('activate', () => openWindow().show());
  app.on('window-all-closed', () => {
    // The tray keeps Proctor alive; quitting is explicit.
  });
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    void (async () => {
      const running = service.runningNonDaemon();
      const settings = service.settings.get();
      const plan = await planQuit(settings.quitPolicy, running.length, async () => {
        const options = quitDialogOptions(running, settings.quitJoinMs, settings.language);
        const answer = window
          ? await dialog.showMessageBox(window, options)
          : await dialog.showMessageBox(options);
        return QUIT_DIALOG_CHOICES[answer.response] ?? 'cancel';
      });
      if (plan.action === 'cancel') return;
      quitting = true;
      await service.shutdown(plan.children);
      tray.destroy();
      app.exit(0);
    })();
  });
}
