// A program's log as the window sees it: pages read by position from the backend's one store on disk
// (`logs:read`), kept in a small cache so scrolling through a million lines never holds them all.
import { shallowRef } from 'vue';
import type { LogLine, LogPage } from '../../../../shared/model';
import type { ProctorClient } from '../../api';

/** Lines a page; a page is fetched whole when any of its lines is shown. */
export const PAGE_LINES = 200;
/** Pages kept in memory at most (the oldest used go first): about 8,000 lines. */
const KEPT_PAGES = 40;
/** A page read that failed is tried again after this long. */
const RETRY_MS = 1000;

export class LogPages {
  /** The oldest position still on disk and one past the newest. */
  readonly first = shallowRef(0);
  readonly end = shallowRef(0);
  /** The backend could not read the log (the error's words are the client's to find). */
  readonly failed = shallowRef(false);
  /** The log on disk is not being written: the lines are the child's, from the backend's memory. */
  readonly inMemory = shallowRef(false);
  /** Bumped when a page arrives or is let go: what a view of the lines depends on. */
  readonly version = shallowRef(0);
  /** In order of use, the last used last; plain (not reactive), as reading a line reorders it. */
  readonly #pages = new Map<number, LogLine[]>();
  readonly #loading = new Set<number>();
  /** Bumped when pages are let go because the log grew: a read begun before that is stale. */
  #epoch = 0;

  constructor(
    private readonly client: ProctorClient,
    readonly name: string,
  ) {}

  /** The line at `pos`, or undefined while its page is on its way (asked for here). */
  line(pos: number): LogLine | undefined {
    void this.version.value;
    const index = Math.floor(pos / PAGE_LINES);
    const page = this.#pages.get(index);
    if (!page) {
      void this.#load(index);
      return undefined;
    }
    // Used again: to the end of the map, the last to be let go.
    this.#pages.delete(index);
    this.#pages.set(index, page);
    return page[pos - index * PAGE_LINES - Math.max(0, this.first.value - index * PAGE_LINES)];
  }

  /** Learns where the log ends now; the last page, which may have grown, is read again. */
  async refresh(): Promise<void> {
    const result = await this.client.invoke('logs:read', { name: this.name, limit: 1 });
    if (!result.ok) {
      this.failed.value = true;
      return;
    }
    this.failed.value = false;
    const inMemory = result.value.inMemory === true;
    if (inMemory !== this.inMemory.value) {
      // Memory and disk number their lines apart: nothing read from one stands for the other.
      this.inMemory.value = inMemory;
      this.#pages.clear();
      this.end.value = -1;
    }
    this.#take(result.value);
  }

  /** Every line from the first on, page by page (a download of the whole log). */
  async *all(): AsyncGenerator<LogLine[]> {
    let from = this.first.value;
    for (;;) {
      const result = await this.client.invoke('logs:read', { name: this.name, from, limit: 5000 });
      if (!result.ok || result.value.lines.length === 0) return;
      yield result.value.lines;
      from = result.value.lines.at(-1)!.pos + 1;
      if (from >= result.value.end) return;
    }
  }

  #take(page: LogPage): void {
    const grown = page.end !== this.end.value || page.first !== this.first.value;
    if (!grown) return;
    // The page that held the old end was partial; pages before the first are gone from disk.
    const partial = Math.floor(this.end.value / PAGE_LINES);
    for (const index of [...this.#pages.keys()]) {
      if (index >= partial || (index + 1) * PAGE_LINES <= page.first) this.#pages.delete(index);
    }
    this.#epoch++;
    this.first.value = page.first;
    this.end.value = page.end;
    this.version.value++;
  }

  async #load(index: number): Promise<void> {
    if (this.#loading.has(index)) return;
    this.#loading.add(index);
    try {
      const from = Math.max(index * PAGE_LINES, this.first.value);
      const limit = (index + 1) * PAGE_LINES - from;
      if (limit <= 0) return;
      const epoch = this.#epoch;
      const result = await this.client.invoke('logs:read', { name: this.name, from, limit });
      // Only the page's own positions: a read past the end answers with the last lines instead.
      const lines = result.ok
        ? result.value.lines.filter((line) => line.pos >= from && line.pos < from + limit)
        : [];
      // A page cut short by the end is stale once the log grew meanwhile: read it again as it is now.
      if (!result.ok || (lines.length < limit && epoch !== this.#epoch)) {
        setTimeout(() => this.version.value++, result.ok ? 0 : RETRY_MS);
        return;
      }
      this.#pages.set(index, lines);
      while (this.#pages.size > KEPT_PAGES) this.#pages.delete(this.#pages.keys().next().value!);
      this.version.value++;
    } finally {
      this.#loading.delete(index);
    }
  }
}
