// The machine's process table as the window holds it. The rows live in a plain Map (5,000 reactive
// proxies would cost more than the paint); counters tell Vue when to look again: `tick` on every
// delta, `structure` only when the tree's shape may have changed, `labels` when a name, command or
// user did (what a filter or search reads; kernel workers rename themselves every second or so).
// `versionOf(pid)` is the tick a row last changed at, so a row on screen repaints only when it did.
// Each row's trend takes one sample a tick, but only rows a delta changed are written at that tick:
// the others repeat their last figures, which are filled in when the trend is read (`samplesOf`), so a
// tick at 5,000 idle processes pushes a few samples instead of 10,000.
import { defineStore } from 'pinia';
import { markRaw, nextTick, shallowRef } from 'vue';
import type { Ghost, MonitorStats, TreeDelta, TreeRow, TreeSnapshot } from '../../../shared/model';
import type { ProctorError } from '../../../shared/errors';
import { useClient } from '../api';
import { Ring } from '../model/ring';
import { useMetersStore } from './meters';

export const SPARK_SAMPLES = 40;

/** Fields whose change can move a row or fold it away. */
const SHAPE: ReadonlySet<string> = new Set(['ppid', 'marks']);
/** Fields a filter or a search matches against (besides the pid); `ports` for the `:8080` search. */
const LABELS: ReadonlySet<string> = new Set(['name', 'cmd', 'user', 'ports']);

export interface Samples {
  cpu: Ring;
  rss: Ring;
}

/** A row's trends and the tick their newest sample is for. */
interface Trend extends Samples {
  at: number;
}

/**
 * Set in this tab's session storage by the renderer bench before the page loads: the measures below cost
 * a message channel and three timeline entries a frame, which a window open all day should not pay.
 */
const MEASURE_KEY = 'proctor.measurePaint';

/**
 * Bench instrumentation: one measure per frame that applied deltas, from the start of applying them to
 * a task posted once Vue has patched the DOM; that task runs after the frame's style, layout and paint.
 * Measured between timestamps, not named marks: under load a second frame can start before the first
 * one's task runs, and marks of one name would mix the two frames.
 */
let measured = 0;
function measurePaint(start: number): void {
  const applied = performance.now();
  void nextTick(() => {
    const patched = performance.now();
    const afterFrame = new MessageChannel();
    afterFrame.port1.onmessage = () => {
      afterFrame.port1.close();
      // The whole, and its parts: the store's work, Vue's patch, then style, layout and paint.
      performance.measure('proctor:delta', { start, end: performance.now() });
      performance.measure('proctor:delta:apply', { start, end: applied });
      performance.measure('proctor:delta:patch', { start: applied, end: patched });
      // Counted here: asking the timeline for its entries copies them all, at every frame.
      if (++measured > 500) {
        measured = 0;
        performance.clearMeasures();
      }
    };
    afterFrame.port2.postMessage(null);
  });
}

export const useProcessStore = defineStore('processes', () => {
  const client = useClient();
  const meters = useMetersStore();
  const rows = markRaw(new Map<number, TreeRow>());
  const ghosts = markRaw(new Map<number, Ghost>());
  const samples = new Map<number, Trend>();
  /** The tick each row was last added or changed at; rows not in it date from the last snapshot. */
  const changedAt = new Map<number, number>();
  let snapshotTick = 0;
  /** The tick each field last changed at on any row, so a sort by that field knows to re-run. */
  const fieldChangedAt = new Map<string, number>();
  const tick = shallowRef(0);
  const structure = shallowRef(0);
  const labels = shallowRef(0);
  const stats = shallowRef<MonitorStats | null>(null);
  /** Today's date: a start time shows as a clock time today and as a date after midnight. */
  const today = shallowRef(new Date().toDateString());
  const loaded = shallowRef(false);
  const loadError = shallowRef<ProctorError | null>(null);

  let lastSeq = -1;
  let loading = false;
  const buffered: TreeDelta[] = [];

  /** The ticks after `trend.at` up to `upTo` (included) had the figures of its newest sample. */
  function catchUp(trend: Trend, upTo: number): void {
    const missed = upTo - trend.at;
    if (missed <= 0) return;
    trend.cpu.repeat(trend.cpu.last() ?? 0, missed);
    trend.rss.repeat(trend.rss.last() ?? 0, missed);
    trend.at = upTo;
  }

  /** `row`'s figures as its sample of tick `at`; call before the row's figures change, then after. */
  function sample(row: TreeRow, at: number): void {
    let trend = samples.get(row.pid);
    if (!trend) {
      trend = { cpu: new Ring(SPARK_SAMPLES), rss: new Ring(SPARK_SAMPLES), at };
      samples.set(row.pid, trend);
    } else catchUp(trend, at - 1);
    trend.cpu.push(row.cpuPct);
    trend.rss.push(row.rssBytes);
    trend.at = at;
  }

  /** The trends of `pid` up to the last tick applied; null for a row never sampled. */
  function samplesOf(pid: number): Samples | null {
    const trend = samples.get(pid);
    if (!trend) return null;
    catchUp(trend, tick.value);
    return trend;
  }

  /** Ghosts are kept while an orphan still points at them, whether a delta repeats them or not. */
  function pruneGhosts(): void {
    if (ghosts.size === 0) return;
    const wanted = new Set<number>();
    for (const row of rows.values()) if (row.marks.orphan) wanted.add(row.marks.orphan.ghostPid);
    for (const pid of ghosts.keys()) if (!wanted.has(pid)) ghosts.delete(pid);
  }

  function applySnapshot(snapshot: TreeSnapshot): void {
    rows.clear();
    ghosts.clear();
    changedAt.clear();
    snapshotTick = tick.value + 1;
    for (const row of snapshot.rows) rows.set(row.pid, row);
    for (const ghost of snapshot.ghosts) ghosts.set(ghost.pid, ghost);
    for (const pid of samples.keys()) if (!rows.has(pid)) samples.delete(pid);
    for (const row of rows.values()) sample(row, snapshotTick);
    pruneGhosts();
    lastSeq = snapshot.seq;
    stats.value = snapshot.stats;
    meters.fromSnapshot(snapshot.system);
    structure.value++;
    tick.value++;
  }

  function applyDelta(delta: TreeDelta): void {
    let reshaped = delta.added.length > 0 || delta.removed.length > 0;
    let relabelled = false;
    const fields = new Set<string>();
    const now = tick.value + 1;
    // A reused pid comes as a removal plus an addition: removals first.
    for (const pid of delta.removed) {
      rows.delete(pid);
      samples.delete(pid);
      changedAt.delete(pid);
    }
    for (const row of delta.added) {
      rows.set(row.pid, row);
      changedAt.set(row.pid, now);
      sample(row, now);
    }
    for (const change of delta.changed) {
      const row = rows.get(change.pid);
      if (!row) continue;
      Object.assign(row, change);
      changedAt.set(change.pid, now);
      if ('cpuPct' in change || 'rssBytes' in change) sample(row, now);
      for (const key in change) {
        // `pid` names the row a change is for; it never changes itself.
        if (key === 'pid') continue;
        fields.add(key);
        if (SHAPE.has(key)) reshaped = true;
        else if (LABELS.has(key)) relabelled = true;
      }
    }
    for (const ghost of delta.ghosts) {
      if (!ghosts.has(ghost.pid)) reshaped = true;
      ghosts.set(ghost.pid, ghost);
    }
    if (reshaped) pruneGhosts();
    lastSeq = delta.seq;
    stats.value = delta.stats;
    meters.add(delta.system, delta.at);
    const date = new Date().toDateString();
    if (date !== today.value) today.value = date;
    for (const field of fields) fieldChangedAt.set(field, now);
    if (reshaped) structure.value++;
    if (relabelled) labels.value++;
    tick.value++;
  }

  /**
   * Deltas are applied at the start of an animation frame, so the work lands right before that frame's
   * paint instead of in the middle of one. A hidden page (a minimized window, a background tab) shows
   * nothing: its deltas wait for it to show again, and past a couple of minutes a fresh snapshot
   * replaces them, so a window left hidden all day costs no store or DOM work at each tick.
   */
  const pending: TreeDelta[] = [];
  const HIDDEN_KEEP = 120;
  const measuring = sessionStorage.getItem(MEASURE_KEY) === '1';
  let missedWhileHidden = false;
  let frameRequested = false;

  function applyPending(): void {
    for (const delta of pending.splice(0)) if (delta.seq > lastSeq) applyDelta(delta);
  }

  function receive(delta: TreeDelta): void {
    if (loading) {
      buffered.push(delta);
      return;
    }
    if (document.visibilityState === 'hidden') {
      if (pending.length < HIDDEN_KEEP) pending.push(delta);
      else missedWhileHidden = true;
      return;
    }
    pending.push(delta);
    if (frameRequested) return;
    frameRequested = true;
    requestAnimationFrame(() => {
      frameRequested = false;
      const started = measuring ? performance.now() : 0;
      applyPending();
      if (measuring) measurePaint(started);
    });
  }

  async function load(): Promise<void> {
    loading = true;
    buffered.length = 0;
    const result = await client.invoke('processes:snapshot', {});
    loading = false;
    if (!result.ok) {
      loadError.value = result.error;
      return;
    }
    loadError.value = null;
    applySnapshot(result.value);
    for (const delta of buffered.splice(0)) if (delta.seq > lastSeq) applyDelta(delta);
    loaded.value = true;
  }

  function shown(): void {
    if (document.visibilityState !== 'visible') return;
    if (!missedWhileHidden) {
      applyPending();
      return;
    }
    missedWhileHidden = false;
    pending.length = 0;
    void load();
  }

  let started = false;
  function start(): void {
    if (started) return;
    started = true;
    document.addEventListener('visibilitychange', shown);
    client.on('processes:delta', receive);
    client.onReconnect(() => void load());
    void load();
  }

  return {
    rows,
    ghosts,
    samplesOf,
    tick,
    structure,
    labels,
    stats,
    today,
    loaded,
    loadError,
    /** The tick `field` last changed at on any row, -1 before its first change (read with `tick`). */
    fieldVersion: (field: string) => fieldChangedAt.get(field) ?? -1,
    /** The tick the row of `pid` last changed at, -1 when there is none (useRowVersion follows it). */
    versionOf: (pid: number) => (rows.has(pid) ? (changedAt.get(pid) ?? snapshotTick) : -1),
    start,
    load,
  };
});
