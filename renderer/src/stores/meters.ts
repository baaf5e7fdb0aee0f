// The system meters above the tree: the last sample and each meter's recent values, fed by the
// process store from the same snapshot and deltas as the table (one tick, one picture).
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { appendSample, emptyHistory, unpackSample, type SystemTick } from '../../../shared/meters';
import type { SystemHistory, SystemMeters, SystemSample } from '../../../shared/model';

const OPEN_KEY = 'proctor.meters.open';

export const useMetersStore = defineStore('meters', () => {
  const now = shallowRef<SystemSample | null>(null);
  const history = shallowRef<SystemHistory>(emptyHistory());
  /** Open unless the user folded it; the choice is this window's, kept across reloads. */
  const open = shallowRef(localStorage.getItem(OPEN_KEY) !== 'false');

  function fromSnapshot(meters: SystemMeters | null): void {
    now.value = meters?.now ?? null;
    history.value = meters?.history ?? emptyHistory();
  }

  function add(tick: SystemTick | null, at: number): void {
    if (!tick) return;
    const sample = unpackSample(tick, at);
    appendSample(history.value, sample);
    now.value = sample;
    // The rings changed in place: a new object tells the graphs to redraw.
    history.value = { ...history.value };
  }

  function toggle(): void {
    open.value = !open.value;
    localStorage.setItem(OPEN_KEY, String(open.value));
  }

  return { now, history, open, fromSnapshot, add, toggle };
});
