// Post-mortems: the list of exits nobody asked for (newest first), and the one open in the panel.
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { PostMortem, PostMortemSummary } from '../../../shared/model';
import { useClient } from '../api';
import { useUiStore } from './ui';

export const usePostMortemsStore = defineStore('postmortems', () => {
  const client = useClient();
  const list = shallowRef<PostMortemSummary[]>([]);
  const opened = shallowRef<PostMortem | null>(null);

  async function load(): Promise<void> {
    const result = await client.invoke('postmortems:list', {});
    if (result.ok) list.value = [...result.value].sort((a, b) => b.at - a.at);
  }

  /** Shows one in the panel: from the list, or from a notification's click. */
  async function open(program: string, id: string): Promise<void> {
    const result = await client.invoke('postmortems:get', { name: program, id });
    if (!result.ok) return;
    opened.value = result.value;
    useUiStore().tab = 'postmortems';
  }

  function close(): void {
    opened.value = null;
  }

  let started = false;
  function startListening(): void {
    if (started) return;
    started = true;
    client.on('postmortem:new', (summary) => (list.value = [summary, ...list.value]));
    client.onReconnect(() => void load());
    void load();
  }

  return { list, opened, load, open, close, startListening };
});
