// The family graph of one supervised child (processes, parent edges, pipes and sockets), kept fresh on
// the monitor's ticks while the family is live. One read at a time: a tick that comes during a read
// makes it read once more, so the last read always sees the family's final shape.
import { onMounted, onUnmounted, shallowRef, watch } from 'vue';
import type { FamilyGraph } from '../../../shared/model';
import { useClient } from '../api';

export function useFamilyGraph(childId: () => string | null | undefined, live: () => boolean) {
  const client = useClient();
  const graph = shallowRef<FamilyGraph | null>(null);
  let reading: Promise<void> | null = null;
  let again = false;

  function refresh(): Promise<void> {
    if (reading) {
      again = true;
      return reading;
    }
    reading = (async () => {
      do {
        again = false;
        const id = childId();
        if (!id) return;
        const result = await client.invoke('family:graph', { id });
        if (result.ok && childId() === id) graph.value = result.value;
      } while (again);
    })().finally(() => {
      reading = null;
    });
    return reading;
  }

  let stop: (() => void) | undefined;
  onMounted(() => {
    stop = client.on('processes:delta', () => {
      if (live()) void refresh();
    });
    void refresh();
  });
  onUnmounted(() => stop?.());
  watch(childId, () => {
    graph.value = null;
    void refresh();
  });

  return { graph, refresh };
}
