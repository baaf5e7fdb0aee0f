// The actions on a process, whichever way they are reached (toolbar, keys, details panel): a
// supervised child goes through the supervisor (so its state and timeline follow), anything else
// gets a plain signal. Failures become notices in words.
import { useI18n } from 'vue-i18n';
import type { SignalName } from '../../../shared/signals';
import { isAliveState } from '../../../shared/model';
import type { ProctorError } from '../../../shared/errors';
import { useClient } from '../api';
import { useChildrenStore } from '../stores/children';
import { useProcessStore } from '../stores/processes';
import { useUiStore, type StopMode } from '../stores/ui';
import { useErrorWords } from './useErrorWords';

export function useProcessActions() {
  const client = useClient();
  const children = useChildrenStore();
  const processes = useProcessStore();
  const ui = useUiStore();
  const words = useErrorWords();
  const { t } = useI18n();

  const fail = (error: ProctorError) => ui.notify(words(error), 'error');

  /** The supervised child behind a pid, if Proctor started it. */
  function childIdOf(pid: number): string | null {
    return processes.rows.get(pid)?.marks.supervised?.childId ?? children.byPid.get(pid)?.id ?? null;
  }

  async function stop(pid: number, mode: StopMode): Promise<void> {
    const childId = childIdOf(pid);
    if (childId) {
      const child = children.children.get(childId);
      // The supervisor takes a stop of an exited child as done; say that nothing was sent.
      if (child && !isAliveState(child.state)) {
        ui.notify(t('preview.goneChild', { name: child.name }));
        return;
      }
      const result = mode === 'kill' ? await children.kill(childId) : await children.terminate(childId);
      if (!result.ok) fail(result.error);
      return;
    }
    await signal(pid, mode === 'kill' ? 'SIGKILL' : 'SIGTERM');
  }

  async function signal(pid: number, name: SignalName): Promise<boolean> {
    const result = await client.invoke('processes:signal', { pid, signal: name });
    if (!result.ok) {
      fail(result.error);
      return false;
    }
    ui.notify(t('signal.sent', { signal: name, pid }));
    return true;
  }

  return { stop, signal, childIdOf, fail };
}
