// The tray: a tooltip that counts running children and a menu of quick actions.
import type { MenuItemConstructorOptions } from 'electron';
import type { ChildSpec, LessonSummary } from '../../shared/model';

export interface TrayState {
  windowVisible: boolean;
  running: number;
  paused: boolean;
  recentSpecs: readonly ChildSpec[];
  lessons: readonly LessonSummary[];
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

export function trayTooltip(running: number): string {
  return `Proctor — ${running} running ${running === 1 ? 'child' : 'children'}`;
}

function specLabel(spec: ChildSpec): string {
  const line = [spec.command, ...spec.args].join(' ');
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}

export function trayMenuTemplate(state: TrayState, actions: TrayActions): MenuItemConstructorOptions[] {
  return [
    { label: state.windowVisible ? 'Hide window' : 'Show window', click: () => actions.toggleWindow() },
    {
      label: 'Start…',
      submenu: [
        { label: 'New…', click: () => actions.showStart() },
        ...(state.recentSpecs.length > 0 ? [{ type: 'separator' as const }] : []),
        ...state.recentSpecs.map((spec) => ({
          label: specLabel(spec),
          click: () => actions.startSpec(spec),
        })),
      ],
    },
    {
      label: 'Lessons',
      enabled: state.lessons.length > 0,
      submenu: state.lessons.map((lesson) => ({
        label: `${lesson.number}. ${lesson.text.en.title}`,
        click: () => actions.runLesson(lesson.id),
      })),
    },
    { label: 'Terminate all supervised', enabled: state.running > 0, click: () => actions.terminateAll() },
    {
      label: state.paused ? 'Resume monitoring' : 'Pause monitoring',
      click: () => actions.setPaused(!state.paused),
    },
    { type: 'separator' },
    { label: 'Quit', click: () => actions.quit() },
  ];
}
