// Whether a connection the window had is lost (or refused): the tree is then a stale picture and an
// action cannot reach the backend. The first connect is not a loss; an action then waits for it.
import { computed, type ComputedRef } from 'vue';
import { useClient } from '../api';

export function useConnectionLost(): ComputedRef<boolean> {
  const client = useClient();
  return computed(
    () => client.connection.value === 'reconnecting' || client.connection.value === 'unauthorized',
  );
}
