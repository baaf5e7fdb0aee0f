import type { SortKey } from '../../tree/shape';

export type ColumnKey = SortKey | 'cpuTrend' | 'memTrend';

export interface Column {
  key: ColumnKey;
  /** The sort key a header click sets; trends sort by their live value. */
  sort: SortKey;
  numeric: boolean;
}

/**
 * The tree's columns, in order; their widths live in styles/tree.css so header and rows agree (the trend
 * columns' width comes from TREND_WIDTH below).
 */
export const COLUMNS: readonly Column[] = [
  { key: 'pid', sort: 'pid', numeric: true },
  { key: 'name', sort: 'name', numeric: false },
  { key: 'cmd', sort: 'cmd', numeric: false },
  { key: 'state', sort: 'state', numeric: false },
  { key: 'cpuPct', sort: 'cpuPct', numeric: true },
  { key: 'rssBytes', sort: 'rssBytes', numeric: true },
  { key: 'threads', sort: 'threads', numeric: true },
  { key: 'user', sort: 'user', numeric: false },
  { key: 'startedAt', sort: 'startedAt', numeric: true },
  { key: 'cpuTrend', sort: 'cpuPct', numeric: false },
  { key: 'memTrend', sort: 'rssBytes', numeric: false },
];

export const ROW_HEIGHT = 22;

/**
 * The two trend columns' width and the gap between columns, CSS pixels. The trend canvas draws to
 * them and styles/tree.css lays the columns out by them, as --trend-width and --column-gap, which the
 * tree sets from here.
 */
export const TREND_WIDTH = 44;
export const COLUMN_GAP = 5;
