// Searching a program's whole log on disk (`logs:search`, the same store the view pages through): the
// positions of every match up to a bound, so the view can count them and step from one to the next.
import { shallowRef } from 'vue';
import type { ProctorError } from '../../../../shared/errors';
import type { Result } from '../../../../shared/contract';
import type { LogSearchResult, OutputStream } from '../../../../shared/model';
import type { ProctorClient } from '../../api';

/** Matches counted at most (positions only, 8 bytes each); past it the count reads "100000+". */
export const MAX_MATCHES = 100_000;
/** Matches a call brings back (the contract's bound). */
const BATCH = 1000;

export interface SearchQuery {
  pattern: string;
  regex: boolean;
  caseSensitive: boolean;
  stream: OutputStream | 'all';
}

export class LogSearch {
  readonly positions = shallowRef<number[]>([]);
  /** More matches than MAX_MATCHES were left uncounted. */
  readonly more = shallowRef(false);
  readonly running = shallowRef(false);
  readonly error = shallowRef<ProctorError | null>(null);
  #generation = 0;

  constructor(
    private readonly client: ProctorClient,
    private readonly name: string,
  ) {}

  /** Runs the query over the whole log; a newer call makes an older one stop where it is. */
  async run(query: SearchQuery): Promise<void> {
    const generation = ++this.#generation;
    this.positions.value = [];
    this.more.value = false;
    this.error.value = null;
    if (query.pattern === '') return;
    this.running.value = true;
    const found: number[] = [];
    let from: number | null = 0;
    while (from !== null && generation === this.#generation) {
      const result: Result<LogSearchResult> = await this.client.invoke('logs:search', {
        name: this.name,
        pattern: query.pattern,
        regex: query.regex,
        caseSensitive: query.caseSensitive,
        ...(query.stream === 'all' ? {} : { stream: query.stream }),
        from,
        limit: BATCH,
      });
      if (generation !== this.#generation) return;
      if (!result.ok) {
        this.error.value = result.error;
        break;
      }
      for (const match of result.value.matches) found.push(match.pos);
      from = result.value.next;
      if (found.length >= MAX_MATCHES) {
        this.more.value = from !== null;
        found.length = MAX_MATCHES;
        break;
      }
      // Shown as it grows: the first matches can be stepped to while the rest are counted.
      this.positions.value = [...found];
    }
    this.positions.value = found;
    this.running.value = false;
  }

  clear(): void {
    this.#generation++;
    this.positions.value = [];
    this.more.value = false;
    this.error.value = null;
    this.running.value = false;
  }
}
