import pidusage from 'pidusage';
import psList from 'ps-list';
import type { ProcessRow } from '../../../shared/model';
import { roundTenth } from './cpu';
import type { ProcessSource } from './source';
import { userName } from './users';

/**
 * Everywhere but Linux, and a cross-check on Linux: ps-list for the table, pidusage for CPU and
 * memory (ps-list's own figures are lifetime averages; pidusage's CPU is since its last call).
 * Neither reports state, thread count or process group: those read '?', 0 and 0.
 * pidusage keeps an fd per pid on Linux and `clear()` drops them unclosed; its own expiry closes them.
 */
export class PsListSource implements ProcessSource {
  readonly name = 'ps-list';

  async sample(): Promise<ProcessRow[]> {
    const list = await psList();
    let usage: Record<string, pidusage.Status | undefined> = {};
    try {
      // pidusage never answers an empty list.
      if (list.length > 0) usage = await pidusage(list.map((p) => p.pid));
    } catch {
      // Every pid vanished between the two calls; rows still stand, with no usage.
    }
    return list.map((p) => {
      const use = usage[p.pid];
      const uid = p.uid ?? -1;
      return {
        pid: p.pid,
        ppid: p.ppid,
        name: p.name,
        cmd: p.cmd ?? '',
        state: '?',
        threads: 0,
        rssBytes: use?.memory ?? 0,
        cpuPct: roundTenth(use?.cpu ?? 0),
        uid,
        user: userName(uid),
        startedAt: p.startTime?.getTime() ?? 0,
        pgid: 0,
      };
    });
  }

  close(): void {
    pidusage.clear();
  }
}
