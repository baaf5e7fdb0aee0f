// The tray menu and the quit policy, as pure functions of their state: no Electron runtime is needed
// (electron's Menu would only render these templates).
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { LessonSummary } from '../../shared/model';
import {
  ATTACHED_QUIT_CHOICES,
  attachedQuitDialogOptions,
  planAttachedQuit,
  planQuit,
  quitDialogOptions,
  QUIT_DIALOG_CHOICES,
} from '../../electron/main/quit';
import { trayMenuTemplate, trayTooltip, type TrayActions, type TrayState } from '../../electron/main/tray';

function actions() {
  return {
    toggleWindow: vi.fn<TrayActions['toggleWindow']>(),
    startSpec: vi.fn<TrayActions['startSpec']>(),
    showStart: vi.fn<TrayActions['showStart']>(),
    terminateAll: vi.fn<TrayActions['terminateAll']>(),
    setPaused: vi.fn<TrayActions['setPaused']>(),
    runLesson: vi.fn<TrayActions['runLesson']>(),
    quit: vi.fn<TrayActions['quit']>(),
  } satisfies TrayActions;
}

const lesson: LessonSummary = {
  id: 'pool',
  number: 10,
  text: {
    en: { title: 'Pool', does: '', watch: '', proves: '' },
    'zh-CN': { title: '进程池', does: '', watch: '', proves: '' },
  },
};

const state: TrayState = {
  windowVisible: true,
  running: 2,
  paused: false,
  recentSpecs: [{ command: 'sleep', args: ['30'] }],
  lessons: [lesson],
  language: 'en',
};

function item(menu: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions {
  for (const entry of menu) {
    if (entry.label === label) return entry;
    if (Array.isArray(entry.submenu)) {
      const found = entry.submenu.find((sub) => sub.label === label);
      if (found) return found;
    }
  }
  throw new Error(`no menu item ${label}`);
}

const click = (entry: MenuItemConstructorOptions) => (entry.click as () => void)();

describe('tray', () => {
  it('counts running children in the tooltip', () => {
    expect(trayTooltip(0, 'en')).toBe('Proctor — 0 running children');
    expect(trayTooltip(1, 'en')).toBe('Proctor — 1 running child');
    expect(trayTooltip(2, 'zh-CN')).toBe('Proctor — 2 个子进程在运行');
  });

  it('shows the notifications not yet seen as a badge in the tooltip', () => {
    expect(trayTooltip(1, 'en', 1)).toBe('Proctor — 1 running child · 1 new alert');
    expect(trayTooltip(0, 'en', 3)).toBe('Proctor — 0 running children · 3 new alerts');
    expect(trayTooltip(0, 'zh-CN', 2)).toBe('Proctor — 0 个子进程在运行 · 2 条新通知');
  });

  it('speaks the language of the settings', () => {
    const a = actions();
    const menu = trayMenuTemplate({ ...state, language: 'zh-CN' }, a);
    click(item(menu, '隐藏窗口'));
    expect(a.toggleWindow).toHaveBeenCalledOnce();
    click(item(menu, '10. 进程池'));
    expect(a.runLesson).toHaveBeenCalledWith('pool');
    click(item(menu, '退出'));
    expect(a.quit).toHaveBeenCalledOnce();
  });

  it('calls the right action for each item', () => {
    const a = actions();
    const menu = trayMenuTemplate(state, a);
    click(item(menu, 'Hide window'));
    expect(a.toggleWindow).toHaveBeenCalledOnce();
    click(item(menu, 'sleep 30'));
    expect(a.startSpec).toHaveBeenCalledWith({ command: 'sleep', args: ['30'] });
    click(item(menu, 'New…'));
    expect(a.showStart).toHaveBeenCalledOnce();
    click(item(menu, 'Terminate all supervised'));
    expect(a.terminateAll).toHaveBeenCalledOnce();
    click(item(menu, 'Pause monitoring'));
    expect(a.setPaused).toHaveBeenCalledWith(true);
    click(item(menu, '10. Pool'));
    expect(a.runLesson).toHaveBeenCalledWith('pool');
    click(item(menu, 'Quit'));
    expect(a.quit).toHaveBeenCalledOnce();
  });

  it('offers Resume when paused and disables Terminate all with nothing running', () => {
    const a = actions();
    const menu = trayMenuTemplate({ ...state, paused: true, running: 0, windowVisible: false }, a);
    click(item(menu, 'Resume monitoring'));
    expect(a.setPaused).toHaveBeenCalledWith(false);
    expect(item(menu, 'Terminate all supervised').enabled).toBe(false);
    expect(item(menu, 'Show window')).toBeDefined();
  });
});

describe('quit policy', () => {
  const never = async () => {
    throw new Error('must not ask');
  };

  it('quits at once when no non-daemon child runs', async () => {
    expect(await planQuit('ask', 0, never)).toEqual({ action: 'quit', children: 'terminate' });
  });

  it('follows a fixed policy without asking', async () => {
    expect(await planQuit('join', 3, never)).toEqual({ action: 'quit', children: 'join' });
    expect(await planQuit('terminate', 3, never)).toEqual({ action: 'quit', children: 'terminate' });
  });

  it('asks, and each dialog button leads to its own plan', async () => {
    expect(await planQuit('ask', 1, async () => 'wait')).toEqual({ action: 'quit', children: 'join' });
    expect(await planQuit('ask', 1, async () => 'terminate')).toEqual({
      action: 'quit',
      children: 'terminate',
    });
    expect(await planQuit('ask', 1, async () => 'cancel')).toEqual({ action: 'cancel' });
  });

  it('labels the dialog buttons in the order the answers map back', () => {
    const options = quitDialogOptions([{ name: 'worker', pid: 42 }], 10_000, 'en');
    expect(options.buttons).toEqual(['Wait up to 10 s, then terminate', 'Terminate now', 'Cancel']);
    expect(options.buttons[QUIT_DIALOG_CHOICES.indexOf('cancel')]).toBe('Cancel');
    expect(options.cancelId).toBe(QUIT_DIALOG_CHOICES.indexOf('cancel'));
    expect(options.defaultId).toBe(QUIT_DIALOG_CHOICES.indexOf('wait'));
    expect(options.detail).toContain('worker (pid 42)');
    const chinese = quitDialogOptions([{ name: 'worker', pid: 42 }], 10_000, 'zh-CN');
    expect(chinese.buttons[QUIT_DIALOG_CHOICES.indexOf('terminate')]).toBe('立即终止');
    expect(chinese.message).toBe('还有 1 个受监管的子进程在运行');
  });
});

describe('quitting a window attached to a backend that runs on its own', () => {
  it('asks only when children run, and never plans to stop them itself', async () => {
    const ask = vi.fn(async () => 'quit' as const);
    expect(await planAttachedQuit(0, ask)).toEqual({ action: 'quit', children: 'join' });
    expect(ask).not.toHaveBeenCalled();
    expect(await planAttachedQuit(2, ask)).toEqual({ action: 'quit', children: 'join' });
    expect(await planAttachedQuit(2, async () => 'cancel')).toEqual({ action: 'cancel' });
  });

  it('says the backend keeps its programs running, in both languages', () => {
    const running = [{ name: 'web', pid: 42 }];
    const en = attachedQuitDialogOptions(running, 777, 'en');
    expect(en.message).toBe('1 supervised child runs in the Proctor backend (pid 777)');
    expect(en.detail).toMatch(
      /^web \(pid 42\)\n\n.*keep running after you quit\. `proctor down` stops them\.$/s,
    );
    expect(en.buttons[ATTACHED_QUIT_CHOICES.indexOf('quit')]).toBe('Quit, leave them running');
    const zh = attachedQuitDialogOptions(running, 777, 'zh-CN');
    expect(zh.detail).toMatch(/继续运行/);
    expect(zh.buttons).toEqual(['退出，让它们继续运行', '取消']);
  });
});
