// One small check per lesson: the program's claims held against what the monitor saw of the real
// processes. Labels and the words around what was seen (pids, counts, Python's own names) come from
// the catalogue in every language.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FamilyEdgeKind, FamilyGraph, LessonCheck } from '../../../shared/model';
import { format, inEveryLanguage, type Words } from '../../../shared/words';
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

/** Words in one language: a catalogue message filled with what was seen. */
type Say = (words: Words) => string;
type Seen = Words['check']['observed'];

/** Fills the `observed` message `key` with `values`; a value that is itself words is said in the same language. */
const say =
  (key: keyof Seen, values: Readonly<Record<string, string | number | Say>> = {}): Say =>
  (words) =>
    format(
      words.check.observed[key],
      Object.fromEntries(
        Object.entries(values).map(([name, value]) => [
          name,
          typeof value === 'function' ? value(words) : value,
        ]),
      ),
    );

/** A check's outcome, its label and what it saw picked from each language's catalogue. */
export const result = (label: Say, passed: boolean, observed: Say): CheckResult => ({
  label: inEveryLanguage(label),
  passed,
  observed: inEveryLanguage(observed),
});

const missing = (event: string): Say => say('missing', { event });
const list = (values: readonly unknown[]): string => `[${values.join(', ')}]`;
/** A Python boolean as Python prints it. */
const bool = (value: unknown): Say => say(value === true ? 'true' : 'false');
const orNone = (values: readonly string[]): string | Say => values.join(' ') || say('none');

/** How the tree saw a process: its parents and states, or that it never appeared. */
function inTree(ctx: CheckContext, pid: number | undefined): Say {
  if (pid === undefined) return say('noPid');
  const rows = ctx.seen.rowsOf(pid);
  if (rows.length === 0) return say('neverInTree', { pid });
  const ppids = [...new Set(rows.map((row) => row.ppid))];
  const states = [...new Set(rows.map((row) => row.state))].join('');
  return say('inTree', { pid, times: rows.length, ppids: ppids.join('→'), states });
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
        ? say('processArgs', { main: ctx.main, child: inTree(ctx, child.pid), ppid: ppid ?? '' })
        : missing('child'),
    ),
    result(
      (words) => words.check.processArgs.argsArrived,
      child !== undefined && JSON.stringify(child.args) === JSON.stringify(sent),
      say('argsArrived', {
        sent: String(JSON.stringify(sent)),
        received: String(JSON.stringify(child?.args)),
      }),
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
      run
        ? say('subclass', { main: ctx.main, started: started ?? '', run: inTree(ctx, run.pid) })
        : missing('run'),
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
      say('aliveTogether', { together, count: children.length, pids: list(children) }),
    ),
    result(
      (words) => words.check.manyChildren.exitedZero,
      exitcodes.length === 10 && exitcodes.every((code) => code === 0),
      say('exitcodes', { codes: list(exitcodes) }),
    ),
    result(
      (words) => words.check.manyChildren.files,
      sizes.every((size, i) => size === i * 10),
      say('fileSizes', { sizes: list(sizes) }),
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
      child
        ? say('childCounter', { child: inTree(ctx, child.pid), value: num(child, 'value') ?? '' })
        : missing('child'),
    ),
    result(
      (words) => words.check.dataIsolation.parentKept,
      num(parent, 'value') === 100 && parent?.pid === ctx.main,
      parent
        ? say('parentCounter', { pid: parent.pid, value: num(parent, 'value') ?? '' })
        : missing('parent'),
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
        ? say('terminated', {
            before: bool(victim.alive_before),
            after: bool(victim.alive_after),
            code: num(victim, 'exitcode') ?? '',
            child: inTree(ctx, num(victim, 'child')),
          })
        : missing('terminated'),
    ),
    result(
      (words) => words.check.daemonTerminate.daemonGone,
      childOfMain(ctx, daemon) && after?.alive === false && goneFirst !== undefined,
      after
        ? say('daemonGone', {
            daemon: inTree(ctx, daemon),
            alive: bool(after.alive),
            code: num(after, 'exitcode') ?? '',
            tree: goneFirst ? say('daemonGoneAt', { ms: goneFirst.at - doneAt }) : say('daemonNeverGone'),
          })
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
    const values = { bought: r.bought, stock: r.stock ?? '', sold: r.sold ?? '', left: r.left ?? '' };
    return over > 0 ? say('ticketsOversold', { ...values, over }) : say('tickets', values);
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
      say('buyersTogether', { without: without.together, with: withLock.together }),
    ),
    result(
      (words) => words.check.lockTickets.sharedLock,
      withLock.buyers.length === 10 && locks.length === 1 && firstRound.length === 0,
      say('sharedLockSeen', {
        with: withLock.buyers.length,
        locks: orNone(locks.map((o) => `${o.name} (${o.holders.length})`)),
        without: without.buyers.length,
        firstRound: firstRound.length,
      }),
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
      say('received', {
        received: items.length,
        distinct: unique,
        expected,
        producers: producers.length,
      }),
    ),
    result(
      (words) => words.check.queue.inOrder,
      items.length > 0 && inOrder,
      say('inOrder', { inOrder: bool(inOrder) }),
    ),
    result(
      (words) => words.check.queue.sharedPipe,
      producers.length > 0 && producers.every((pid) => childOfMain(ctx, pid)) && shared.length > 0,
      say('queuePipes', { pids: list(producers), pipes: orNone(shared) }),
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
        ? say('roundTrips', {
            correct: num(trip, 'correct') ?? '',
            rounds: num(trip, 'rounds') ?? '',
            repliers: list(repliers),
            child: inTree(ctx, child),
          })
        : missing('roundtrip'),
    ),
    result(
      (words) => words.check.pipe.socketPair,
      sockets.length > 0,
      sockets.length > 0 ? () => sockets.join('; ') : say('noSocket'),
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
      say('server', {
        server: inTree(ctx, server),
        workers: serving
          ? say('serverWithWorkers', { n: workers.filter((pid) => serving.rows.has(pid)).length })
          : say('serverAlone'),
      }),
    ),
    result(
      (words) => words.check.manager.withoutLock,
      without !== undefined && without > 0,
      without === undefined ? missing('round') : say('decrements', { left: without }),
    ),
    result(
      (words) => words.check.manager.withLock,
      withLock === 0,
      withLock === undefined ? missing('round') : say('decrements', { left: withLock }),
    ),
    result(
      (words) => words.check.manager.sockets,
      talking.size >= 20,
      say('managerSockets', { n: talking.size, workers: workers.length }),
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
        ? say('tasks', { tasks: pids.length, correct: num(tasks, 'correct') ?? '', workers: list(workers) })
        : missing('tasks'),
    ),
    result(
      (words) => words.check.pool.reused,
      workers.length === 3 && JSON.stringify(inTreeWorkers) === JSON.stringify(workers),
      say('poolInTree', { pids: list(inTreeWorkers) }),
    ),
    result(
      (words) => words.check.pool.sharedPipes,
      workers.length === 3 && shared.length >= 2,
      say('poolPipes', { n: workers.length, pipes: orNone(shared) }),
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
      say('zombieChild', { child: inTree(ctx, child) }),
    ),
    result(
      (words) => words.check.zombie.reaped,
      gone !== undefined && num(joined, 'exitcode') === 0,
      joined
        ? say('reaped', {
            code: num(joined, 'exitcode') ?? '',
            tree: say(gone ? 'reapedGone' : 'reapedStill'),
          })
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
  const adopter: string | Say = adopted
    ? adopted.ppid === ctx.guard
      ? say('adoptedByGuard', { pid: adopted.ppid })
      : adopted.ppid === 1
        ? say('adoptedByInit')
        : `${adopted.ppid}`
    : '';
  return [
    result(
      (words) => words.check.orphan.startedUnderParent,
      parent !== undefined && childOfMain(ctx, parent) && rows.some((row) => row.ppid === parent),
      lost
        ? say('orphanParent', { parent: inTree(ctx, parent), child: inTree(ctx, kid) })
        : missing('parent'),
    ),
    result(
      (words) => words.check.orphan.reparented,
      adopted !== undefined &&
        (adopted.ppid === ctx.guard || adopted.ppid === 1) &&
        num(ctx.claims.one('orphan-after'), 'ppid') === adopted.ppid,
      adopted
        ? say('reparented', {
            from: parent ?? '',
            to: adopted.ppid,
            adopter,
            says: num(ctx.claims.one('orphan-after'), 'ppid') ?? '',
          })
        : say('neverReparented'),
    ),
    result(
      (words) => words.check.orphan.underGhost,
      underGhost !== undefined && ctx.graph.nodes.some((node) => node.pid === parent && node.ghost === true),
      underGhost ? say('underGhost', { pid: parent ?? '' }) : say('neverUnderGhost', { pid: parent ?? '' }),
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
  return result(
    (words) => words.check.exitedCleanly,
    exitcode === 0,
    say('exitcode', { code: String(exitcode) }),
  );
}
