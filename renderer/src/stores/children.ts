// Supervised children: their state (exited ones stay until removed), their stop timelines, and a count
// of output batches (the output itself is read from the logs on disk, see components/logs).
import { defineStore } from 'pinia';
import { computed, shallowReactive, shallowRef } from 'vue';
import type { ChildInfo, ChildSpec, StopTimelineEvent } from '../../../shared/model';
import type { Result } from '../../../shared/contract';
import { useClient } from '../api';
import { childPhase } from '../model/child-phase';
import { i18n } from '../i18n';
import { useUiStore } from './ui';

export const useChildrenStore = defineStore('children', () => {
  const client = useClient();
  const children = shallowReactive(new Map<string, ChildInfo>());
  /** Bumped by every batch of live output: an output view reads its log's tail again. */
  const outputVersion = shallowRef(0);
  const timelines = shallowReactive(new Map<string, StopTimelineEvent[]>());

  const byPid = computed(() => {
    const map = new Map<number, ChildInfo>();
    for (const child of children.values()) if (child.pid !== null) map.set(child.pid, child);
    return map;
  });

  /**
   * Backing off between restarts is neither running nor done, so it gets its own count; so does a start
   * that failed, which never ran and so never exited.
   */
  const counts = computed(() => {
    const counted = { running: 0, waiting: 0, exited: 0, failed: 0 };
    for (const child of children.values()) {
      const phase = childPhase(child.state);
      if (child.state === 'failed') counted.failed++;
      else counted[phase === 'finished' ? 'exited' : phase]++;
    }
    return counted;
  });

  function noteTimeline(event: StopTimelineEvent): void {
    // A new SIGTERM (or a SIGKILL without one) starts a new stop.
    const previous = timelines.get(event.id) ?? [];
    const restart =
      event.phase === 'sigterm' || (event.phase === 'sigkill' && previous.at(-1)?.phase === 'exited');
    timelines.set(event.id, restart ? [event] : [...previous, event]);
  }

  async function load(): Promise<void> {
    const result = await client.invoke('children:list', {});
    if (!result.ok) return;
    children.clear();
    for (const child of result.value) children.set(child.id, child);
  }

  function remember<T extends ChildInfo>(result: Result<T>): Result<T> {
    if (result.ok) children.set(result.value.id, result.value);
    return result;
  }

  const start = async (spec: ChildSpec) => remember(await client.invoke('children:start', spec));
  const terminate = async (id: string, graceMs?: number) =>
    remember(await client.invoke('children:terminate', graceMs === undefined ? { id } : { id, graceMs }));
  const kill = async (id: string) => remember(await client.invoke('children:kill', { id }));
  const restart = async (id: string) => remember(await client.invoke('children:restart', { id }));
  const join = (id: string, timeoutMs: number) => client.invoke('children:join', { id, timeoutMs });
  function forget(id: string): void {
    children.delete(id);
    timelines.delete(id);
  }

  async function remove(id: string) {
    const result = await client.invoke('children:remove', { id });
    if (result.ok) forget(id);
    return result;
  }

  let started = false;
  function startListening(): void {
    if (started) return;
    started = true;
    client.on('child:state', (child) => children.set(child.id, child));
    client.on('child:output', () => outputVersion.value++);
    client.on('child:stopTimeline', noteTimeline);
    client.on('child:removed', ({ id }) => forget(id));
    // The backend dropped an old exited child by the keepExited settings: say so, the user did not ask.
    client.on('child:pruned', ({ id, name, keep, scope }) =>
      useUiStore().notify(i18n.global.t(`pruned.${scope}`, { id, name, keep })),
    );
    client.onReconnect(() => void load());
    void load();
  }

  return {
    children,
    outputVersion,
    timelines,
    byPid,
    counts,
    start,
    terminate,
    kill,
    restart,
    join,
    remove,
    startListening,
  };
});
