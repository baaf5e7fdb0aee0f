import { OPTIONAL_COLUMNS, type OptionalColumn } from '../../../../shared/columns';
import type { SortKey } from '../../tree/shape';

export type ColumnKey = SortKey | 'cpuTrend' | 'memTrend' | OptionalColumn;

export interface Column {
  key: ColumnKey;
  /** The sort key a header click sets; trends sort by their live value. */
  sort: SortKey;
  numeric: boolean;
  /** One of the columns the user chooses (Settings' `columns`). */
  optional?: OptionalColumn;
  /** An optional column's width, CSS pixels (the fixed ones' are in styles/tree.css). */
  width?: number;
}

const FIXED: readonly Column[] = [
  { key: 'pid', sort: 'pid', numeric: true },
  { key: 'name', sort: 'name', numeric: false },
  { key: 'cmd', sort: 'cmd', numeric: false },
  { key: 'state', sort: 'state', numeric: false },
  { key: 'cpuPct', sort: 'cpuPct', numeric: true },
  { key: 'rssBytes', sort: 'rssBytes', numeric: true },
  { key: 'threads', sort: 'threads', numeric: true },
  { key: 'user', sort: 'user', numeric: false },
  { key: 'startedAt', sort: 'startedAt', numeric: true },
];

const TRENDS: readonly Column[] = [
  { key: 'cpuTrend', sort: 'cpuPct', numeric: false },
  { key: 'memTrend', sort: 'rssBytes', numeric: false },
];

export const OPTIONAL: Record<OptionalColumn, Column & { width: number }> = {
  ioRead: { key: 'ioRead', sort: 'ioReadPerSec', numeric: true, optional: 'ioRead', width: 84 },
  ioWrite: { key: 'ioWrite', sort: 'ioWritePerSec', numeric: true, optional: 'ioWrite', width: 84 },
  ports: { key: 'ports', sort: 'ports', numeric: false, optional: 'ports', width: 96 },
  gpu: { key: 'gpu', sort: 'gpuPct', numeric: true, optional: 'gpu', width: 88 },
  cgroup: { key: 'cgroup', sort: 'cgroup', numeric: false, optional: 'cgroup', width: 150 },
  nice: { key: 'nice', sort: 'nice', numeric: true, optional: 'nice', width: 30 },
  mpRole: { key: 'mpRole', sort: 'mpRole', numeric: false, optional: 'mpRole', width: 128 },
};

/**
 * The fixed columns' widths in styles/tree.css with the command's minimum, the gaps and the padding: below
 * this (plus the optional columns) the tree scrolls sideways instead of laying rows over its neighbours.
 */
const FIXED_MIN_WIDTH = 900;

/** The narrowest the tree's rows may get with these optional columns shown. */
export function minRowWidth(optional: readonly OptionalColumn[]): number {
  return optional.reduce((sum, column) => sum + OPTIONAL[column].width + COLUMN_GAP, FIXED_MIN_WIDTH);
}

/** The optional columns shown, in the tree's one order whatever order they were chosen in. */
export function shownOptional(chosen: readonly OptionalColumn[]): OptionalColumn[] {
  return OPTIONAL_COLUMNS.filter((column) => chosen.includes(column));
}

/**
 * The tree's columns, in order: the fixed ones, the chosen optional ones, then the two trends (drawn by
 * TrendCanvas against the right edge). Widths live in styles/tree.css so header and rows agree (the
 * trend columns' width comes from TREND_WIDTH below).
 */
export function columnsOf(optional: readonly OptionalColumn[]): Column[] {
  return [...FIXED, ...optional.map((column) => OPTIONAL[column]), ...TRENDS];
}

export const ROW_HEIGHT = 22;

/**
 * The two trend columns' width and the gap between columns, CSS pixels. The trend canvas draws to
 * them and styles/tree.css lays the columns out by them, as --trend-width and --column-gap, which the
 * tree sets from here.
 */
export const TREND_WIDTH = 44;
export const COLUMN_GAP = 5;
