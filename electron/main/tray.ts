// The tray: a tooltip that counts running children and a menu of quick actions, in the settings' language.
import type { MenuItemConstructorOptions } from 'electron';
import type { ChildSpec, Language, LessonSummary } from '../../shared/model';
import { format, WORDS } from '../../shared/words';

export interface TrayState {
  windowVisible: boolean;
  running: number;
  paused: boolean;
  recentSpecs: readonly ChildSpec[];
  lessons: readonly LessonSummary[];
  language: Language;
}

export interface TrayActions {
  toggleWindow(): void;
  startSpec(spec: ChildSpec): void;
  showStart(): void;
  terminateAll(): void;
  setPaused(paused: boolean): void;
  runLesson(id: string): void;
  quit(): void;
}

/**
 * The running children, and the badge: notifications (crashes, fatal…) that came while the window was
 * not looked at, so a crash at night is seen in the tray the next morning.
 */
export function trayTooltip(running: number, language: Language, unseen = 0): string {
  const words = WORDS[language].tray;
  const base = format(words.tooltip, {}, running);
  return unseen > 0 ? `${base} · ${format(words.unseen, {}, unseen)}` : base;
}

function specLabel(spec: ChildSpec): string {
  const line = [spec.command, ...spec.args].join(' ');
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}

export function trayMenuTemplate(state: TrayState, actions: TrayActions): MenuItemConstructorOptions[] {
  const words = WORDS[state.language].tray;
  return [
    { label: state.windowVisible ? words.hideWindow : words.showWindow, click: () => actions.toggleWindow() },
    {
      label: words.start,
      submenu: [
        { label: words.newSpec, click: () => actions.showStart() },
        ...(state.recentSpecs.length > 0 ? [{ type: 'separator' as const }] : []),
        ...state.recentSpecs.map((spec) => ({
          label: specLabel(spec),
          click: () => actions.startSpec(spec),
        })),
      ],
    },
    {
      label: words.lessons,
      enabled: state.lessons.length > 0,
      submenu: state.lessons.map((lesson) => ({
        label: `${lesson.number}. ${lesson.text[state.language].title}`,
        click: () => actions.runLesson(lesson.id),
      })),
    },
    { label: words.terminateAll, enabled: state.running > 0, click: () => actions.terminateAll() },
    {
      label: state.paused ? words.resumeMonitoring : words.pauseMonitoring,
      click: () => actions.setPaused(!state.paused),
    },
    { type: 'separator' },
    { label: words.quit, click: () => actions.quit() },
  ];
}
