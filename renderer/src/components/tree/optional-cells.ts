// What an optional column's cell says for one row, and its tooltip: a figure the backend could not read
// shows "–" with the reason, never 0; one not read yet (the first tick of a rate) shows nothing.
import type { MpRole, OptionalColumn } from '../../../../shared/columns';
import type { TreeRow } from '../../../../shared/model';
import { humanBytes } from '../../text/format';

export interface Cell {
  text: string;
  title: string;
}

type Translate = (key: string, values?: Record<string, unknown>) => string;

const EMPTY: Cell = { text: '', title: '' };
const MP_ROLE_WORDS: Record<MpRole, string> = {
  main: 'main',
  'spawn-child': 'spawnChild',
  'fork-child': 'forkChild',
  forkserver: 'forkserver',
  'forkserver-child': 'forkserverChild',
  'resource-tracker': 'resourceTracker',
  manager: 'manager',
};

function unreadable(row: TreeRow, t: Translate): Cell | null {
  return row.unreadable ? { text: '–', title: t(`cells.unreadable${row.unreadable}`) } : null;
}

function rate(value: number | null | undefined, t: Translate): Cell {
  if (value === null || value === undefined) return EMPTY;
  const text = value === 0 ? '0' : t('cells.perSecond', { bytes: humanBytes(value) });
  return { text, title: text };
}

export function optionalCell(column: OptionalColumn, row: TreeRow, t: Translate): Cell {
  switch (column) {
    case 'ioRead':
      return unreadable(row, t) ?? rate(row.ioReadPerSec, t);
    case 'ioWrite':
      return unreadable(row, t) ?? rate(row.ioWritePerSec, t);
    case 'ports': {
      if (row.ports === undefined || row.ports === null) return unreadable(row, t) ?? EMPTY;
      const ports = [
        ...new Set(
          row.ports
            .split(' ')
            .filter(Boolean)
            .map((p) => p.slice(p.indexOf(':') + 1)),
        ),
      ];
      const connections = row.connections ?? 0;
      const text = [ports.join(' '), connections > 0 ? t('cells.connections', { n: connections }) : '']
        .filter(Boolean)
        .join(' ');
      return { text, title: text && t('cells.ports', { ports: row.ports || '–', connections }) };
    }
    case 'gpu': {
      if (row.gpuPct === undefined || row.gpuPct === null) {
        if (!row.gpuMemBytes) return unreadable(row, t) ?? EMPTY;
      }
      const memory = humanBytes(row.gpuMemBytes ?? 0);
      const pct = row.gpuPct ?? null;
      return {
        text: pct === null ? memory : `${pct.toFixed(0)}% ${memory}`,
        title: t('cells.gpu', { pct: pct === null ? '–' : pct.toFixed(1), memory }),
      };
    }
    case 'cgroup':
      return row.cgroup
        ? { text: row.cgroup, title: t('cells.cgroup', { path: row.cgroupPath ?? '' }) }
        : EMPTY;
    case 'nice':
      return row.nice === undefined || row.nice === null
        ? EMPTY
        : {
            text: String(row.nice),
            title: t('cells.priority', { nice: row.nice, priority: row.priority ?? '–' }),
          };
    case 'mpRole':
      return row.mpRole ? { text: t(`mpRole.${MP_ROLE_WORDS[row.mpRole]}`), title: '' } : EMPTY;
  }
}
