// What a view of one process row follows instead of every tick. It re-evaluates at each tick but keeps
// its value unless that row changed (or was removed), or the day turned (a start time shows as a clock
// time today and a date after midnight); Vue re-runs whatever reads it only when the value moved.
import { computed, type ComputedRef } from 'vue';
import { useProcessStore } from '../stores/processes';

export function useRowVersion(pid: () => number | null): ComputedRef<string> {
  const processes = useProcessStore();
  return computed(() => {
    void processes.tick;
    const id = pid();
    return `${processes.today} ${id === null ? -1 : processes.versionOf(id)}`;
  });
}
