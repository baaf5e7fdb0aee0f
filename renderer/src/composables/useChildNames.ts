// The supervised children's names as the window shows them, same names told apart (`ticker #2`).
import { computed, type ComputedRef } from 'vue';
import { distinctNames } from '../model/child-names';
import { useChildrenStore } from '../stores/children';

let names: ComputedRef<Map<string, string>> | null = null;

/** One map for every row: computed once per change of the children, not once per row. */
export function useChildNames(): ComputedRef<Map<string, string>> {
  const children = useChildrenStore();
  return (names ??= computed(() => distinctNames(children.children.values())));
}
