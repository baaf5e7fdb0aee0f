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

export function useKeys(): void {
  const view = useViewStore();
  const ui = useUiStore();

  const livePid = () => (view.selected !== null && view.selected > 0 ? view.selected : null);

  const actions: Record<string, () => void> = {
    ArrowUp: () => view.moveBy(-1),
    ArrowDown: () => view.moveBy(1),
    PageUp: () => view.moveBy(-view.pageRows),
    PageDown: () => view.moveBy(view.pageRows),
    Home: () => view.selectIndex(0),
    End: () => view.selectIndex(view.visible.length - 1),
    ArrowLeft: () => view.left(),
    ArrowRight: () => view.right(),
    F5: () => (view.tree = !view.tree),
    t: () => (view.tree = !view.tree),
    '/': () => ui.askFocus('search'),
    '\\': () => ui.askFocus('filter'),
    F3: () => view.jumpToHit('next'),
    F9: () => ui.open({ kind: 'signal', pid: livePid() }),
    k: () => ui.open({ kind: 'signal', pid: livePid() }),
    Delete: () => {
      const pid = livePid();
      if (pid !== null) ui.open({ kind: 'stop', mode: 'terminate', pid });
    },
    Enter: () => {
      if (view.selected !== null) ui.tab = 'details';
    },
    '?': () => ui.open({ kind: 'help' }),
  };

  function onKey(event: KeyboardEvent): void {
    if (ui.dialog !== null || event.ctrlKey || event.altKey || event.metaKey) return;
    // F3 keeps working from the search box, so one can type and step through hits.
    if (isTyping(event.target) && event.key !== 'F3') return;
    // Buttons and tabs keep Enter/Space and arrows for themselves.
    const onControl = event.target instanceof HTMLElement && event.target.closest('button, [role="tab"]');
    if (onControl && /^(Enter| |ArrowLeft|ArrowRight)$/.test(event.key)) return;
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }

  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
