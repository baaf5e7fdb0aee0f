// htop's keys, window-wide. Typing in a field keeps its keys; an open dialog keeps all of them.
import { onBeforeUnmount, onMounted } from 'vue';
import { useUiStore } from '../stores/ui';
import { useViewStore } from '../stores/view';

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
  );
}

type Stores = { view: ReturnType<typeof useViewStore>; ui: ReturnType<typeof useUiStore> };

const livePid = ({ view }: Stores) => (view.selected !== null && view.selected > 0 ? view.selected : null);

/**
 * The keys, htop's habits: one table for what they do and for the help overlay that lists them.
 * `shown` is how the help writes the keys of a row; Esc is handled by the boxes and dialogs themselves.
 */
export const KEY_BINDINGS: ReadonlyArray<{
  shown: string;
  what: string;
  run: Record<string, (stores: Stores) => void>;
}> = [
  {
    shown: '↑ ↓',
    what: 'help.move',
    run: { ArrowUp: (s) => s.view.moveBy(-1), ArrowDown: (s) => s.view.moveBy(1) },
  },
  {
    shown: 'PgUp PgDn',
    what: 'help.page',
    run: { PageUp: (s) => s.view.moveBy(-s.view.pageRows), PageDown: (s) => s.view.moveBy(s.view.pageRows) },
  },
  {
    shown: 'Home End',
    what: 'help.ends',
    run: { Home: (s) => s.view.selectIndex(0), End: (s) => s.view.selectIndex(s.view.visible.length - 1) },
  },
  {
    shown: '← →',
    what: 'help.fold',
    run: { ArrowLeft: (s) => s.view.left(), ArrowRight: (s) => s.view.right() },
  },
  {
    shown: 'F5  t',
    what: 'help.tree',
    run: { F5: (s) => (s.view.tree = !s.view.tree), t: (s) => (s.view.tree = !s.view.tree) },
  },
  {
    shown: 'K',
    what: 'help.kernelThreads',
    run: { K: (s) => s.view.setViews({ hideKernelThreads: !s.view.hideKernelThreads }) },
  },
  { shown: '/', what: 'help.search', run: { '/': (s) => s.ui.askFocus('search') } },
  { shown: '\\', what: 'help.filter', run: { '\\': (s) => s.ui.askFocus('filter') } },
  { shown: 'F3', what: 'help.next', run: { F3: (s) => s.view.jumpToHit('next') } },
  {
    shown: 'F9  k',
    what: 'help.signal',
    run: {
      F9: (s) => s.ui.open({ kind: 'signal', pid: livePid(s) }),
      k: (s) => s.ui.open({ kind: 'signal', pid: livePid(s) }),
    },
  },
  {
    shown: 'Del',
    what: 'help.terminate',
    run: {
      Delete: (s) => {
        const pid = livePid(s);
        if (pid !== null) s.ui.open({ kind: 'stop', mode: 'terminate', pid });
      },
    },
  },
  {
    shown: 'Enter',
    what: 'help.details',
    run: {
      Enter: (s) => {
        if (s.view.selected !== null) s.ui.tab = 'details';
      },
    },
  },
  { shown: '?', what: 'help.help', run: { '?': (s) => s.ui.open({ kind: 'help' }) } },
  { shown: 'Esc', what: 'help.escape', run: {} },
];

const ACTIONS: Record<string, (stores: Stores) => void> = Object.assign(
  {},
  ...KEY_BINDINGS.map((b) => b.run),
);

export function useKeys(): void {
  const stores: Stores = { view: useViewStore(), ui: useUiStore() };
  const { ui } = stores;

  function onKey(event: KeyboardEvent): void {
    if (ui.dialog !== null || event.ctrlKey || event.altKey || event.metaKey) return;
    // F3 keeps working from the search box, so one can type and step through hits.
    if (isTyping(event.target) && event.key !== 'F3') return;
    // Buttons and tabs keep Enter/Space and arrows for themselves.
    const onControl = event.target instanceof HTMLElement && event.target.closest('button, [role="tab"]');
    if (onControl && /^(Enter| |ArrowLeft|ArrowRight)$/.test(event.key)) return;
    const action = ACTIONS[event.key];
    if (!action) return;
    event.preventDefault();
    action(stores);
  }

  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
