// Which panel, dialog or overlay is open, and the short notices actions leave behind.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { describeNode, type NodeId } from '../tree/node-id';

export type PanelTab = 'details' | 'supervised' | 'postmortems' | 'settings' | 'lessons';
export type StopMode = 'terminate' | 'kill';

export type Dialog =
  | { kind: 'start' }
  | { kind: 'stop'; mode: StopMode; pid: number }
  | { kind: 'signal'; pid: number | null }
  | { kind: 'help' };

export interface Notice {
  id: number;
  tone: 'info' | 'error';
  text: string;
}

const NOTICE_MS = 6_000;

export const useUiStore = defineStore('ui', () => {
  const tab = ref<PanelTab>('details');
  const dialog = shallowRef<Dialog | null>(null);
  const notices = ref<Notice[]>([]);
  /** Which toolbar box a key asked to focus; the toolbar watches it. */
  const focusBox = shallowRef<{ box: 'search' | 'filter'; at: number } | null>(null);
  let nextNotice = 1;

  function open(next: Dialog): void {
    dialog.value = next;
  }

  function close(): void {
    dialog.value = null;
  }

  function notify(text: string, tone: Notice['tone'] = 'info'): void {
    const id = nextNotice++;
    notices.value = [...notices.value.slice(-3), { id, tone, text }];
    setTimeout(() => (notices.value = notices.value.filter((n) => n.id !== id)), NOTICE_MS);
  }

  function askFocus(box: 'search' | 'filter'): void {
    focusBox.value = { box, at: Date.now() };
  }

  function stopTarget(id: NodeId | null): number | null {
    if (id === null) return null;
    const node = describeNode(id);
    return node.kind === 'process' ? node.pid : null;
  }

  return { tab, dialog, notices, focusBox, open, close, notify, askFocus, stopTarget };
});
