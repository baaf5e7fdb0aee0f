import type { ProcessRow } from '../../../shared/model';
import { ProcSource } from './proc-source';
import { PsListSource } from './pslist-source';

/** Reads the machine's process table. One source per monitor; `sample()` calls never overlap. */
export interface ProcessSource {
  readonly name: string;
  sample(): Promise<ProcessRow[]>;
  /** Releases fds and caches; a later `sample()` starts afresh. */
  close(): void;
}

/** The fast /proc reader on Linux; ps-list and pidusage elsewhere. */
export function createDefaultSource(): ProcessSource {
  return process.platform === 'linux' ? new ProcSource() : new PsListSource();
}
