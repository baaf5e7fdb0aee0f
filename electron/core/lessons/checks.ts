// One small check per lesson: the program's claims held against what the monitor saw of the real
// processes. Labels come from the catalogue in every language; observed values are pids and numbers
// with a few English words around them, shown as they are.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FamilyEdgeKind, FamilyGraph, LessonCheck } from '../../../shared/model';
import { inEveryLanguage, type Words } from '../../../shared/words';
import { num, nums, type Claims } from './claims';
import type { Observed } from './observer';

export interface CheckContext {
  /** The lesson program's pid (the supervised child). */
  main: number;
  /** The guard shim's pid: the subreaper that adopts the family's orphans. */
  guard: number | null;
  exitcode: number | null;
  claims: Claims;
  seen: Observed;
  /** Every process and channel the family view showed during the run. */
  graph: FamilyGraph;
  /** The run's temporary folder, where lessons leave files to inspect. */
  dir: string;
}

export type CheckResult = LessonCheck;

export type LessonChecks = (ctx: CheckContext) => CheckResult[];

/** A check's outcome, its label picked from each language's catalogue. */
export const result = (label: (words: Words) => string, passed: boolean, observed: string): CheckResult => ({
  label: inEveryLanguage(label),
  passed,
  observed,
});

const missing = (event: string): string => `no "${event}" line printed`;
const list = (values: readonly unknown[]): string => `[${values.join(', ')}]`;

/** How the tree saw a process: its parents and states, or that it never appeared. */
function inTree(ctx: CheckContext, pid: number | undefined): string {
  if (pid === undefined) return 'no pid';
  const rows = ctx.seen.rowsOf(pid);
  if (rows.length === 0) return `${pid} never seen in the tree`;
  const ppids = [...new Set(rows.map((row) => row.ppid))];
  const states = [...new Set(rows.map((row) => row.state))].join('');
  return `${pid} seen ${rows.length}× with ppid ${ppids.join('→')}, states ${states}`;
}

function childOfMain(ctx: CheckContext, pid: number | undefined): boolean {
  return pid !== undefined && pid !== ctx.main && ctx.seen.rowsOf(pid).some((row) => row.ppid === ctx.main);
}

/** IPC edges of one kind between two processes, either way round. */
function ipcBetween(graph: FamilyGraph, kind: FamilyEdgeKind, a: number, b: number): string[] {
  return graph.edges
    .filter((e) => e.kind === kind && ((e.from === a && e.to === b) || (e.from === b && e.to === a)))
    .map((e) => `${e.from}${e.directed ? '→' : '–'}${e.to} ${e.label ?? ''}`.trim());
}

/**
 * Channels (by inode) that join `hub` to every one of `pids`: a Queue's or a Pool's pipe is one inode
 * shared by all its processes, unlike the sentinel pipes multiprocessing gives each child of its own.
 */
function sharedChannels(
  graph: FamilyGraph,
  kind: FamilyEdgeKind,
  hub: number,
  pids: readonly number[],
): string[] {
  const reach = new Map<string, Set<number>>();
  for (const edge of graph.edges) {
    if (edge.kind !== kind || (edge.from !== hub && edge.to !== hub)) continue;
    const other = edge.from === hub ? edge.to : edge.from;
    for (const inode of edge.label?.split(' ') ?? []) {
      let peers = reach.get(inode);
      if (!peers) reach.set(inode, (peers = new Set()));
      peers.add(other);
    }
  }
  return [...reach].filter(([, peers]) => pids.every((pid) => peers.has(pid))).map(([inode]) => inode);
}

function readJson(path: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function fileSize(path: string): number | null {
  try {
    return readFileSync(path).length;
  } catch {
    return null;
  }
}

function processArgs(ctx: CheckContext): CheckResult[] {
  const child = ctx.claims.one('child');
  const sent = ctx.claims.one('main')?.args;
  const ppid = num(child, 'ppid');
  return [
    result(
      (words) => words.check.processArgs.parentIsProgram,
      childOfMain(ctx, child?.pid) && ppid === ctx.main,
      child
        ? `program ${ctx.main}; child ${inTree(ctx, child.pid)}; child says ppid ${ppid}`
        : missing('child'),
    ),
    result(
      (words) => words.check.processArgs.argsArrived,
      child !== undefined && JSON.stringify(child.args) === JSON.stringify(sent),
      `sent ${JSON.stringify(sent)}, received ${JSON.stringify(child?.args)}`,
    ),
  ];
}

function subclass(ctx: CheckContext): CheckResult[] {
  const run = ctx.claims.one('run');
  const started = num(ctx.claims.one('started'), 'child');
  return [
    result(
      (words) => words.check.subclass.runInChild,
      run !== undefined && run.pid === started && childOfMain(ctx, run.pid),
      run ? `program ${ctx.main}; start() made ${started}; run() in ${inTree(ctx, run.pid)}` : missing('run'),
    ),
  ];
}

function manyChildren(ctx: CheckContext): CheckResult[] {
  const children = nums(ctx.claims.one('started'), 'children');
  const exitcodes = nums(ctx.claims.one('joined'), 'exitcodes');
  const sizes = Array.from({ length: 10 }, (_, i) => fileSize(join(ctx.dir, `stars-${i}.txt`)));
  const together = ctx.seen.mostAliveTogether(children);
  return [
    result(
      (words) => words.check.manyChildren.aliveTogether,
      children.length === 10 && together === 10 && children.every((pid) => childOfMain(ctx, pid)),
      `most alive at once: ${together} of ${children.length} ${list(children)}`,
    ),
    result(
      (words) => words.check.manyChildren.exitedZero,
      exitcodes.length === 10 && exitcodes.every((code) => code === 0),
      `exit codes ${list(exitcodes)}`,
    ),
    result(
      (words) => words.check.manyChildren.files,
      sizes.every((size, i) => size === i * 10),
      `file sizes ${list(sizes)}`,
    ),
  ];
}

function dataIsolation(ctx: CheckContext): CheckResult[] {
  const child = ctx.claims.one('child');
  const parent = ctx.claims.one('parent');
  return [
    result(
      (words) => words.check.dataIsolation.childCopy,
      num(child, 'value') === 0 && childOfMain(ctx, child?.pid),
      child ? `child ${inTree(ctx, child.pid)}: counter = ${num(child, 'value')}` : missing('child'),
    ),
    result(
      (words) => words.check.dataIsolation.parentKept,
      num(parent, 'value') === 100 && parent?.pid === ctx.main,
      parent ? `parent ${parent.pid}: counter = ${num(parent, 'value')}` : missing('parent'),
    ),
  ];
}

function daemonTerminate(ctx: CheckContext): CheckResult[] {
  const victim = ctx.claims.one('terminated');
  const daemon = num(ctx.claims.one('daemon'), 'child');
  const after = ctx.claims.one('after-exit');
  const doneAt = ctx.claims.one('main-done')?.at ?? Infinity;
  // After the program's own code ended: the program still alive, its daemon child already gone.
  const goneFirst = ctx.seen.find(
    (tick) => tick.at > doneAt && tick.rows.has(ctx.main) && daemon !== undefined && !tick.rows.has(daemon),
  );
  return [
    result(
      (words) => words.check.daemonTerminate.terminated,
      num(victim, 'exitcode') === -15 &&
        victim?.alive_before === true &&
        victim.alive_after === false &&
        childOfMain(ctx, num(victim, 'child')),
      victim
        ? `is_alive ${String(victim.alive_before)} → ${String(victim.alive_after)}, exitcode ${num(victim, 'exitcode')}; ${inTree(ctx, num(victim, 'child'))}`
        : missing('terminated'),
    ),
    result(
      (words) => words.check.daemonTerminate.daemonGone,
      childOfMain(ctx, daemon) && after?.alive === false && goneFirst !== undefined,
      after
        ? `daemon ${inTree(ctx, daemon)}; after exit handlers alive=${String(after.alive)}, exitcode ${num(after, 'exitcode')}; ` +
            (goneFirst
              ? `tree at +${goneFirst.at - doneAt} ms: program alive, daemon gone`
              : 'never seen gone while the program lived')
        : missing('after-exit'),
    ),
  ];
}

function lockTickets(ctx: CheckContext): CheckResult[] {
  const round = (label: string) => {
    const sale = ctx.claims.one('sale', { round: label });
    const file = sale ? readJson(join(ctx.dir, String(sale.file))) : null;
    const buyers = nums(sale, 'buyers');
    return {
      stock: num(sale, 'stock'),
      bought: ctx.claims.all('bought', { round: label }).length,
      left: num(file, 'left'),
      sold: num(file, 'sold'),
      buyers,
      together: ctx.seen.mostAliveTogether(buyers),
    };
  };
  const without = round('without lock');
  const withLock = round('with lock');
  const words = (r: typeof without) => {
    const over = r.stock === undefined ? 0 : r.bought - r.stock;
    const sold = `sold ${r.bought} tickets for ${r.stock} seats${over > 0 ? `: oversold by ${over}` : ''}`;
    return `${sold}; the file says ${r.sold} sold, ${r.left} left`;
  };
  // The Lock is a semaphore every buyer of its round maps; the first round's buyers had none to share.
  const heldBy = (pids: readonly number[]) =>
    ctx.graph.objects.filter((o) => o.kind === 'lock' && pids.every((pid) => o.holders.includes(pid)));
  const locks = withLock.buyers.length > 0 ? heldBy(withLock.buyers) : [];
  const firstRound = without.buyers.length > 0 ? heldBy(without.buyers) : [];
  return [
    result(
      (words) => words.check.lockTickets.withoutLock,
      without.stock !== undefined &&
        (without.bought > without.stock ||
          without.sold !== without.bought ||
          without.left !== without.stock - without.bought),
      words(without),
    ),
    result(
      (words) => words.check.lockTickets.withLock,
      withLock.stock !== undefined &&
        withLock.bought === withLock.stock &&
        withLock.sold === withLock.stock &&
        withLock.left === 0,
      words(withLock),
    ),
    result(
      (words) => words.check.lockTickets.buyersTogether,
      without.together === 10 && withLock.together === 10,
      `most alive at once: ${without.together} without lock, ${withLock.together} with lock`,
    ),
    result(
      (words) => words.check.lockTickets.sharedLock,
      withLock.buyers.length === 10 && locks.length === 1 && firstRound.length === 0,
      `semaphores held by all ${withLock.buyers.length} buyers with the lock: ` +
        `${locks.map((o) => `${o.name} (${o.holders.length} processes)`).join(', ') || 'none'}; ` +
        `by all ${without.buyers.length} without: ${firstRound.length}`,
    ),
  ];
}

function queue(ctx: CheckContext): CheckResult[] {
  const producers = nums(ctx.claims.one('started'), 'children');
  const raw = ctx.claims.one('received')?.items;
  const items = Array.isArray(raw)
    ? (raw as unknown[]).filter((i): i is [number, number] => Array.isArray(i))
    : [];
  const keys = items.map(([p, seq]) => `${p}:${seq}`);
  const unique = new Set(keys).size;
  const expected = producers.length * 50;
  const inOrder = producers.every((_, p) => {
    const seqs = items.filter(([from]) => from === p).map(([, seq]) => seq);
    return seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]!);
  });
  const shared = sharedChannels(ctx.graph, 'pipe', ctx.main, producers);
  return [
    result(
      (words) => words.check.queue.exactlyOnce,
      items.length === expected && unique === expected && expected === 100,
      `${items.length} received, ${unique} distinct, ${expected} sent by ${producers.length} producers`,
    ),
    result((words) => words.check.queue.inOrder, items.length > 0 && inOrder, `in order: ${String(inOrder)}`),
    result(
      (words) => words.check.queue.sharedPipe,
      producers.length > 0 && producers.every((pid) => childOfMain(ctx, pid)) && shared.length > 0,
      `producers ${list(producers)}; pipes shared by the program and every producer: ${shared.join(' ') || 'none'}`,
    ),
  ];
}

function pipe(ctx: CheckContext): CheckResult[] {
  const trip = ctx.claims.one('roundtrip');
  const child = num(trip, 'child');
  const repliers = nums(trip, 'repliers');
  const sockets = child === undefined ? [] : ipcBetween(ctx.graph, 'socket', ctx.main, child);
  return [
    result(
      (words) => words.check.pipe.answered,
      num(trip, 'rounds') === 100 &&
        num(trip, 'correct') === 100 &&
        repliers.length === 1 &&
        repliers[0] === child &&
        childOfMain(ctx, child),
      trip
        ? `${num(trip, 'correct')}/${num(trip, 'rounds')} correct, answered by ${list(repliers)}; child ${inTree(ctx, child)}`
        : missing('roundtrip'),
    ),
    result(
      (words) => words.check.pipe.socketPair,
      sockets.length > 0,
      sockets.join('; ') || 'no socket edge between them',
    ),
  ];
}

function manager(ctx: CheckContext): CheckResult[] {
  const server = nums(ctx.claims.one('manager'), 'children')[0];
  const rounds = ['without lock', 'with lock'].map((label) => ctx.claims.one('round', { round: label }));
  const [without, withLock] = rounds.map((r) => num(r, 'left'));
  const workers = rounds.flatMap((r) => nums(r, 'workers'));
  const serving = ctx.seen.find(
    (tick) => server !== undefined && tick.rows.has(server) && workers.some((pid) => tick.rows.has(pid)),
  );
  const talking = new Set(
    ctx.graph.edges
      .filter((e) => e.kind === 'socket' && (e.from === server || e.to === server))
      .map((e) => (e.from === server ? e.to : e.from)),
  );
  return [
    result(
      (words) => words.check.manager.server,
      childOfMain(ctx, server) && serving !== undefined,
      `server ${inTree(ctx, server)}; ${serving ? `seen with ${workers.filter((pid) => serving.rows.has(pid)).length} workers` : 'never seen beside a worker'}`,
    ),
    result(
      (words) => words.check.manager.withoutLock,
      without !== undefined && without > 0,
      without === undefined ? missing('round') : `100 decrements from 100 left ${without}`,
    ),
    result(
      (words) => words.check.manager.withLock,
      withLock === 0,
      withLock === undefined ? missing('round') : `100 decrements from 100 left ${withLock}`,
    ),
    result(
      (words) => words.check.manager.sockets,
      talking.size >= 20,
      `socket edges from the server to ${talking.size} processes (${workers.length} workers in all)`,
    ),
  ];
}

/** Pool and ProcessPoolExecutor make the same promise: three workers, reused for every task. */
function pool(ctx: CheckContext): CheckResult[] {
  const tasks = ctx.claims.one('tasks');
  const pids = nums(tasks, 'pids');
  const workers = [...new Set(pids)].sort((a, b) => a - b);
  const inTreeWorkers = [...ctx.seen.childrenOf(ctx.main)].sort((a, b) => a - b);
  const shared = sharedChannels(ctx.graph, 'pipe', ctx.main, workers);
  return [
    result(
      (words) => words.check.pool.threeWorkers,
      pids.length === 100 && num(tasks, 'correct') === 100 && workers.length === 3,
      tasks
        ? `${pids.length} tasks (${num(tasks, 'correct')} correct) by ${list(workers)}`
        : missing('tasks'),
    ),
    result(
      (words) => words.check.pool.reused,
      workers.length === 3 && JSON.stringify(inTreeWorkers) === JSON.stringify(workers),
      `children seen in the tree ${list(inTreeWorkers)}`,
    ),
    result(
      (words) => words.check.pool.sharedPipes,
      workers.length === 3 && shared.length >= 2,
      `pipes shared by the program and all ${workers.length} workers: ${shared.join(' ') || 'none'}`,
    ),
  ];
}

function zombie(ctx: CheckContext): CheckResult[] {
  const child = num(ctx.claims.one('started'), 'child');
  const joining = ctx.claims.one('joining')?.at ?? Infinity;
  const joined = ctx.claims.one('joined');
  const asZombie = ctx.seen.find(
    (tick) =>
      tick.at < joining &&
      tick.rows.has(ctx.main) &&
      child !== undefined &&
      tick.rows.get(child)?.state === 'Z',
  );
  const gone = ctx.seen.find(
    (tick) =>
      tick.at > (joined?.at ?? Infinity) &&
      tick.rows.has(ctx.main) &&
      child !== undefined &&
      !tick.rows.has(child),
  );
  return [
    result(
      (words) => words.check.zombie.shownAsZombie,
      asZombie !== undefined && childOfMain(ctx, child),
      `child ${inTree(ctx, child)}`,
    ),
    result(
      (words) => words.check.zombie.reaped,
      gone !== undefined && num(joined, 'exitcode') === 0,
      joined
        ? `exitcode ${num(joined, 'exitcode')}; ${gone ? 'gone from the tree while the parent lived on' : 'still in the tree'}`
        : missing('joined'),
    ),
  ];
}

function orphan(ctx: CheckContext): CheckResult[] {
  const lost = ctx.claims.one('parent');
  const parent = lost?.pid;
  const kid = num(lost, 'child');
  const rows = kid === undefined ? [] : ctx.seen.rowsOf(kid);
  const adopted = rows.find((row) => row.ppid !== parent);
  const underGhost = ctx.seen.find(
    (tick) =>
      kid !== undefined &&
      tick.rows.get(kid)?.orphanOf === parent &&
      tick.ghosts.some((ghost) => ghost.pid === parent) &&
      !tick.rows.has(parent ?? -1),
  );
  const adopter = adopted
    ? adopted.ppid === ctx.guard
      ? `the guard ${adopted.ppid} (a subreaper)`
      : adopted.ppid === 1
        ? 'init'
        : `${adopted.ppid}`
    : '';
  return [
    result(
      (words) => words.check.orphan.startedUnderParent,
      parent !== undefined && childOfMain(ctx, parent) && rows.some((row) => row.ppid === parent),
      lost ? `parent ${inTree(ctx, parent)}; child ${inTree(ctx, kid)}` : missing('parent'),
    ),
    result(
      (words) => words.check.orphan.reparented,
      adopted !== undefined &&
        (adopted.ppid === ctx.guard || adopted.ppid === 1) &&
        num(ctx.claims.one('orphan-after'), 'ppid') === adopted.ppid,
      adopted
        ? `ppid ${parent} → ${adopted.ppid}: adopted by ${adopter}; it says ppid ${num(ctx.claims.one('orphan-after'), 'ppid')}`
        : 'never seen with another parent',
    ),
    result(
      (words) => words.check.orphan.underGhost,
      underGhost !== undefined && ctx.graph.nodes.some((node) => node.pid === parent && node.ghost === true),
      underGhost
        ? `orphan mark → ghost ${parent}`
        : `no tick with the orphan mark under a ghost of ${parent}`,
    ),
  ];
}

/** A lesson's id: its folder, and its key in the catalogues' `lessonText`. */
export type LessonId = keyof Words['lessonText'];

/** The checks of each lesson, by lesson id: every lesson of the catalogues, and only those. */
export const CHECKS: Readonly<Record<string, LessonChecks>> = {
  '01-process-args': processArgs,
  '02-subclass': subclass,
  '03-many-children': manyChildren,
  '04-data-isolation': dataIsolation,
  '05-daemon-terminate': daemonTerminate,
  '06-lock-tickets': lockTickets,
  '07-queue': queue,
  '08-pipe': pipe,
  '09-manager': manager,
  '10-pool': pool,
  '11-executor': pool,
  '12-zombie': zombie,
  '13-orphan': orphan,
} satisfies Record<LessonId, LessonChecks>;

/** Every lesson's last check: the program itself ran to its end. */
export function exitedCleanly(exitcode: number | null): CheckResult {
  return result((words) => words.check.exitedCleanly, exitcode === 0, `exitcode ${exitcode}`);
}
