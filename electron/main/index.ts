// Electron main: app lifecycle, the window, the tray and the quit policy, over the same ProctorService
// that headless mode serves. Everything the window does goes through the contract (./ipc).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BrowserWindow,
  Menu,
  Tray,
  app,
  dialog,
  ipcMain,
  nativeImage,
  type MessageBoxOptions,
  type WebFrameMain,
} from 'electron';
import { version } from '../../package.json';
import type { Backend, Result } from '../../shared/contract';
import {
  isAliveState,
  type ChildInfo,
  type ChildSpec,
  type LessonSummary,
  type Settings,
} from '../../shared/model';
import { chooseBackend } from '../client/attach';
import { socketPath } from '../client/socket-path';
import { appPaths } from '../core/app-paths';
import { createLessons } from '../core/lessons';
import { createLogger, defaultLogFile } from '../core/log';
import { loginItemWanted } from '../core/login-item';
import { ProctorService } from '../core/service';
import { forwardEvents, registerContractHandlers } from './ipc';
import { serveEmbedded } from './listeners';
import {
  ATTACHED_QUIT_CHOICES,
  QUIT_DIALOG_CHOICES,
  attachedQuitDialogOptions,
  planAttachedQuit,
  planQuit,
  quitDialogOptions,
  type QuitPlan,
} from './quit';
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
  const log = createLogger({ file: defaultLogFile() });
  // A backend already answering on the socket (`proctor up --detach`, a login unit) is driven as it is;
  // otherwise the app embeds its own, whose children die with it.
  const path = socketPath();
  const choice = await chooseBackend(path, async () => {
    const embedded = new ProctorService({
      version,
      transport: 'ipc',
      settingsFile: join(app.getPath('userData'), 'settings.json'),
      log,
      lessons: (service) => createLessons(service, { dir: paths.lessons }),
    });
    await embedded.start();
    return embedded;
  });
  // Embedded, the app serves the socket too, so the command line drives it (its children still die with it).
  const listeners = choice.kind === 'embedded' ? await serveEmbedded(choice.backend, path, log) : null;
  // `proctor startup` writes the login item (plain Node, core/login-item.ts); Linux reads it as it is.
  if (process.platform !== 'linux') app.setLoginItemSettings({ openAtLogin: loginItemWanted() });
  // Beyond its start and shutdown, main is one more client of the contract.
  const backend: Backend = choice.kind === 'attached' ? choice.client : choice.backend;
  let settings: Settings = await valueOf(backend.invoke('settings:get', {}));
  backend.on('settings:changed', (next) => (settings = next));

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
      if (!quitting && settings.hideOnClose) {
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
  registerContractHandlers(ipcMain, backend, isTrustedFrame);
  forwardEvents(backend, (channel, payload) => {
    if (window && !window.isDestroyed()) window.webContents.send(channel, payload);
  });

  const tray = new Tray(nativeImage.createFromPath(join(paths.root, 'resources', 'tray.png')));
  /** A tray action has no window to answer in: what the backend refused goes to the log. */
  const logRefusal =
    (action: string) =>
    (result: Result<unknown>): void => {
      if (!result.ok) log.warn({ action, error: result.error }, 'tray action refused');
    };
  const refreshTray = (): void =>
    void drawTray().catch((error: unknown) => log.error({ err: error }, 'tray refresh failed'));
  const drawTray = async (): Promise<void> => {
    const [children, stats] = await Promise.all([
      valueOf(backend.invoke('children:list', {})),
      valueOf(backend.invoke('monitor:stats', {})),
    ]);
    const running = children.filter((child) => isAliveState(child.state)).length;
    const { language } = settings;
    tray.setToolTip(trayTooltip(running, language, unseen));
    tray.setContextMenu(
      Menu.buildFromTemplate(
        trayMenuTemplate(
          {
            windowVisible: window?.isVisible() ?? false,
            running,
            paused: stats.paused,
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
            startSpec: (spec) => void backend.invoke('children:start', spec).then(logRefusal('start')),
            terminateAll: () =>
              void backend.invoke('children:terminateAll', {}).then(logRefusal('terminate all')),
            setPaused: (paused) =>
              void backend.invoke('monitor:setPaused', { paused }).then((result) => {
                logRefusal('pause')(result);
                refreshTray();
              }),
            runLesson: (id) => void backend.invoke('lessons:run', { id }).then(logRefusal('run lesson')),
            quit: () => app.quit(),
          },
        ),
      ),
    );
  };
  // The badge: notifications since the window was last looked at (the window shows each one itself).
  let unseen = 0;
  const setUnseen = (count: number): void => {
    unseen = count;
    app.setBadgeCount(count);
    refreshTray();
  };
  backend.on('notification', () => setUnseen(unseen + 1));
  app.on('browser-window-focus', () => unseen > 0 && setUnseen(0));
  // A language switch in the window renames the tray's items too.
  backend.on('settings:changed', () => refreshTray());
  backend.on('child:state', (info) => {
    if (
      info.state === 'running' &&
      !recentSpecs.some((spec) => JSON.stringify(spec) === JSON.stringify(info.spec))
    ) {
      recentSpecs.unshift(info.spec);
      recentSpecs.splice(RECENT_SPECS);
    }
    refreshTray();
  });
  const listed = await backend.invoke('lessons:list', {});
  if (listed.ok) lessons = listed.value.lessons;
  await drawTray();
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
      const children = await valueOf(backend.invoke('children:list', {}));
      const running = runningNonDaemon(children);
      // Attached, daemons run on as well: the dialog names every child left running.
      const alive = children.filter((child) => isAliveState(child.state));
      const ask = async (options: MessageBoxOptions): Promise<number> =>
        (window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options))
          .response;
      const plan: QuitPlan =
        choice.kind === 'embedded'
          ? await planQuit(settings.quitPolicy, running.length, async () => {
              const response = await ask(quitDialogOptions(running, settings.quitJoinMs, settings.language));
              return QUIT_DIALOG_CHOICES[response] ?? 'cancel';
            })
          : await planAttachedQuit(alive.length, async () => {
              const options = attachedQuitDialogOptions(alive, choice.info.pid, settings.language);
              return ATTACHED_QUIT_CHOICES[await ask(options)] ?? 'cancel';
            });
      if (plan.action === 'cancel') return;
      quitting = true;
      // Attached, the app only lets go: the backend and its children run on.
      if (choice.kind === 'embedded') {
        // The socket goes first, so a `proctor` command sees the stop begin.
        await listeners?.close();
        await choice.backend.shutdown(plan.children);
      } else choice.client.close();
      tray.destroy();
      app.exit(0);
    })().catch((error: unknown) => log.error({ err: error }, 'quit failed'));
  });
}

/** The in-process backend answers these commands from memory; a failure there is a bug to surface, not to hide. */
async function valueOf<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** What the quit policy has to decide about: daemon children are terminated anyway. */
function runningNonDaemon(children: readonly ChildInfo[]): ChildInfo[] {
  return children.filter((child) => isAliveState(child.state) && !child.daemon);
}
