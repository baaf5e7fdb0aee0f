// The words Electron main shows itself (the tray and the quit dialog), in the language the settings
// name. The window has vue-i18n; main has these few, so a table is enough.
import type { Language } from '../../shared/model';

export interface MainWords {
  tooltip(running: number): string;
  showWindow: string;
  hideWindow: string;
  start: string;
  newSpec: string;
  lessons: string;
  terminateAll: string;
  pauseMonitoring: string;
  resumeMonitoring: string;
  quit: string;
  quitTitle: string;
  quitMessage(running: number): string;
  quitDetail(names: string): string;
  waitThenTerminate(seconds: number): string;
  terminateNow: string;
  cancel: string;
}

const en: MainWords = {
  tooltip: (running) => `Proctor — ${running} running ${running === 1 ? 'child' : 'children'}`,
  showWindow: 'Show window',
  hideWindow: 'Hide window',
  start: 'Start…',
  newSpec: 'New…',
  lessons: 'Lessons',
  terminateAll: 'Terminate all supervised',
  pauseMonitoring: 'Pause monitoring',
  resumeMonitoring: 'Resume monitoring',
  quit: 'Quit',
  quitTitle: 'Quit Proctor',
  quitMessage: (running) =>
    `${running} supervised ${running === 1 ? 'child is' : 'children are'} still running`,
  quitDetail: (names) => `${names}\n\nNo child outlives Proctor: they will be stopped either way.`,
  waitThenTerminate: (seconds) => `Wait up to ${seconds} s, then terminate`,
  terminateNow: 'Terminate now',
  cancel: 'Cancel',
};

const zhCN: MainWords = {
  tooltip: (running) => `Proctor — ${running} 个子进程在运行`,
  showWindow: '显示窗口',
  hideWindow: '隐藏窗口',
  start: '启动…',
  newSpec: '新建…',
  lessons: '课程',
  terminateAll: '终止全部受监管进程',
  pauseMonitoring: '暂停监控',
  resumeMonitoring: '恢复监控',
  quit: '退出',
  quitTitle: '退出 Proctor',
  quitMessage: (running) => `还有 ${running} 个受监管的子进程在运行`,
  quitDetail: (names) => `${names}\n\n没有子进程会比 Proctor 活得更久：无论如何它们都会被停止。`,
  waitThenTerminate: (seconds) => `最多等待 ${seconds} 秒，然后终止`,
  terminateNow: '立即终止',
  cancel: '取消',
};

export const MAIN_WORDS: Record<Language, MainWords> = { en, 'zh-CN': zhCN };
