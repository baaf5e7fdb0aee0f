// The program's own claims: its `PROCTOR {json}` stdout lines, parsed.
import type { OutputLine } from '../../../shared/model';

export interface Claim {
  event: string;
  /** The pid of the process that made the claim. */
  pid: number;
  at: number;
  [field: string]: unknown;
}

const PREFIX = 'PROCTOR ';

export class Claims {
  private readonly list: Claim[] = [];

  constructor(lines: readonly OutputLine[]) {
    for (const line of lines) {
      if (line.stream !== 'stdout' || !line.text.startsWith(PREFIX)) continue;
      try {
        const parsed = JSON.parse(line.text.slice(PREFIX.length)) as Record<string, unknown>;
        if (typeof parsed.event === 'string' && typeof parsed.pid === 'number') {
          this.list.push({ ...parsed, event: parsed.event, pid: parsed.pid, at: line.at });
        }
      } catch {
        // A garbled line is no claim; the check that needed it fails and says it is missing.
      }
    }
  }

  all(event: string, where: Record<string, unknown> = {}): Claim[] {
    return this.list.filter(
      (claim) => claim.event === event && Object.entries(where).every(([k, v]) => claim[k] === v),
    );
  }

  one(event: string, where: Record<string, unknown> = {}): Claim | undefined {
    return this.all(event, where)[0];
  }
}

type Fields = Readonly<Record<string, unknown>> | null | undefined;

/** A claim's (or a JSON file's) field when it is a number, else undefined. */
export function num(claim: Fields, field: string): number | undefined {
  const value = claim?.[field];
  return typeof value === 'number' ? value : undefined;
}

/** A claim's field when it is an array of numbers, else []. */
export function nums(claim: Fields, field: string): number[] {
  const value = claim?.[field];
  return Array.isArray(value) && value.every((v) => typeof v === 'number') ? value : [];
}
