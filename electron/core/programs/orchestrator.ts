// The stack at run time: which programs exist (a reload applies only the difference), which may start
// (their dependencies' conditions), in which order they stop, and each tick's memory check.
import { EventEmitter } from 'node:events';
import { CodedError } from '../../../shared/errors';
import type { ProgramInfo, TreeRow } from '../../../shared/model';
import { familyOf } from '../monitor';
import type { Supervisor } from '../supervisor';
import { launchClearance, MAX_HOLD_MS } from './clearance';
import { gate } from './conditions';
import { dependentChains, startLayers } from './graph';
import { replicaName, type Stack } from './load';
import { Unit } from './unit';

/** Runs `run` at the next turn of the event loop, or `delayMs` from now; returns how to cancel it. */
function nextTurn(delayMs: number, run: () => void): () => void {
  if (delayMs <= 0) {
    const immediate = setImmediate(run);
    return () => clearImmediate(immediate);
  }
  const timer = setTimeout(run, delayMs);
  return () => clearTimeout(timer);
}

export interface ReloadSummary {
  added: string[];
  removed: string[];
  changed: string[];
}

/** Emits `state` (ProgramInfo) whenever a program or replica changes, `removed` (a program's name) when a reload drops it. */
export class Orchestrator extends EventEmitter {
  #stack: Stack | null = null;
  /** By program name, its replicas in order. */
  readonly #units = new Map<string, Unit[]>();
  #evaluation: NodeJS.Immediate | null = null;
  /** Units whose conditions are met, waiting for their launch (one per turn of the event loop). */
  readonly #queued = new Set<Unit>();
  /** By program name, the longest chain of programs waiting behind it: who launches first. */
  #chains = new Map<string, number>();
  /** Cancels the launch turn to come, when one is. */
  #launching: (() => void) | null = null;
  /** The launch turn to come is held back for a check. */
  #holding = false;
  /** How long the last launch held the event loop (its spawn), in milliseconds. */
  #launchMs = 0;
  /** Since when (performance.now()) launches have been held back for a check, if they are. */
  #clearingSince: number | null = null;

  constructor(private readonly supervisor: Supervisor) {
    super();
  }

  get stack(): Stack | null {
    return this.#stack;
  }

  /** Makes `next` the stack: removed and changed programs stop, changed and added ones start; the rest are untouched. */
  async apply(next: Stack): Promise<ReloadSummary> {
    const previous = this.#stack?.programs ?? new Map();
    const names = [...next.programs.keys()];
    const removed = [...previous.keys()].filter((name) => !next.programs.has(name));
    const added = names.filter((name) => !previous.has(name));
    const changed = names.filter(
      (name) =>
        previous.has(name) && previous.get(name)!.fingerprint !== next.programs.get(name)!.fingerprint,
    );
    const leaving = [...removed, ...changed];
    await this.#stopUnits(leaving.flatMap((name) => this.#units.get(name) ?? []));
    for (const name of leaving) {
      for (const unit of this.#units.get(name) ?? []) unit.dispose();
      this.#units.delete(name);
    }
    for (const name of removed) this.emit('removed', name);
    this.#stack = next;
    this.#chains = dependentChains(this.#dependencies());
    const created: Unit[] = [];
    for (const [name, program] of next.programs) {
      const kept = this.#units.get(name);
      if (kept) {
        for (const unit of kept) unit.program = program;
        continue;
      }
      const { replicas, autostart, disabled } = program.def;
      const units = Array.from({ length: replicas }, (_, i) => {
        const unit = new Unit(program, replicaName(name, replicas, i), i, this.supervisor, (changed) =>
          this.#changed(changed),
        );
        unit.pending = autostart && !disabled;
        return unit;
      });
      this.#units.set(name, units);
      created.push(...units);
    }
    // Nothing new runs yet, so the gates can be decided now: new programs are announced with their reasons.
    this.#evaluate();
    for (const unit of created) this.emit('state', unit.info());
    return { added, removed, changed };
  }

  list(): ProgramInfo[] {
    return this.#all().map((unit) => unit.info());
  }

  /** Asks the named programs (or replicas; all when none are named) to start once their conditions are met. */
  start(names?: readonly string[]): ProgramInfo[] {
    const units = this.#select(names);
    for (const unit of units) {
      if (unit.disabled) throw new CodedError('E_STATE', `${unit.name} is disabled in the stack file`);
    }
    for (const unit of units) {
      const child = unit.child;
      if (unit.pending || child?.isAlive() || child?.state === 'backoff') continue;
      unit.pending = true;
      this.#changed(unit);
    }
    return units.map((unit) => unit.info());
  }

  async stop(names?: readonly string[]): Promise<ProgramInfo[]> {
    const units = this.#select(names);
    await this.#stopUnits(units);
    return units.map((unit) => unit.info());
  }

  async restart(names?: readonly string[]): Promise<ProgramInfo[]> {
    await this.stop(names);
    return this.start(names);
  }

  /** Stops every program (in reverse dependency order when the file asks) and forgets the stack. */
  async shutdown(): Promise<void> {
    if (this.#evaluation !== null) clearImmediate(this.#evaluation);
    this.#launching?.();
    this.#evaluation = null;
    this.#launching = null;
    this.#holding = false;
    this.#clearingSince = null;
    this.#queued.clear();
    await this.#stopUnits(this.#all());
    for (const unit of this.#all()) unit.dispose();
    this.#units.clear();
    this.#stack = null;
  }

  /** One monitor tick: each running program's family RSS against its limit. */
  sampleFamilies(rows: readonly TreeRow[]): void {
    const rssByChild = new Map<string, number>();
    for (const row of rows) {
      const owner = familyOf(row);
      if (owner !== undefined) rssByChild.set(owner, (rssByChild.get(owner) ?? 0) + row.rssBytes);
    }
    for (const unit of this.#all()) {
      if (unit.child) unit.sampleRss(rssByChild.get(unit.child.id) ?? 0);
    }
  }

  /** In the stack file's order. */
  #all(): Unit[] {
    return [...(this.#stack?.programs.keys() ?? [])].flatMap((name) => this.#units.get(name) ?? []);
  }

  #select(names: readonly string[] | undefined): Unit[] {
    if (names === undefined || names.length === 0) return this.#all();
    const byName = new Map(this.#all().map((unit) => [unit.name, [unit]]));
    return [
      ...new Set(
        names.flatMap((name) => {
          const units = this.#units.get(name) ?? byName.get(name);
          if (!units) throw new CodedError('E_NO_SUCH_PROGRAM', `there is no program named ${name}`);
          return units;
        }),
      ),
    ];
  }

  /** Each program's `depends_on` names. */
  #dependencies(): Map<string, string[]> {
    return new Map(
      [...(this.#stack?.programs ?? [])].map(([name, program]) => [
        name,
        Object.keys(program.def.depends_on),
      ]),
    );
  }

  /** All at once, or with ordered_shutdown dependents before what they depend on. */
  async #stopUnits(units: readonly Unit[]): Promise<void> {
    if (!this.#stack?.orderedShutdown) {
      await Promise.all(units.map((unit) => unit.stop()));
      return;
    }
    for (const layer of startLayers(this.#dependencies()).reverse()) {
      const inLayer = new Set(layer);
      await Promise.all(units.filter((unit) => inLayer.has(unit.program.name)).map((unit) => unit.stop()));
    }
  }

  #changed(unit: Unit): void {
    this.emit('state', unit.info());
    this.#schedule();
  }

  /** One evaluation per turn of the event loop, after the child's state has settled (an exit's restart decided). */
  #schedule(): void {
    this.#evaluation ??= setImmediate(() => {
      this.#evaluation = null;
      this.#evaluate();
    });
  }

  #evaluate(): void {
    for (const unit of this.#all()) {
      if (!unit.pending || this.#queued.has(unit)) continue;
      const verdict = gate(
        Object.entries(unit.program.def.depends_on).map(([name, { condition }]) => ({
          name,
          condition,
          units: (this.#units.get(name) ?? []).map((dependency) => dependency.facts()),
        })),
      );
      if (verdict.kind === 'start') this.#queued.add(unit);
      else unit.hold(verdict);
    }
    this.#launchNext();
  }

  /**
   * The queued unit to launch first: the one with the longest chain of programs waiting behind it, then
   * one that has waited for its own dependencies; else the order they were queued in. A dependency
   * released late must not wait behind a row of independent programs queued at the start.
   */
  #first(): Unit | undefined {
    let best: Unit | undefined;
    let bestRank = -1;
    for (const unit of this.#queued) {
      const { name, def } = unit.program;
      const rank = 2 * (this.#chains.get(name) ?? 0) + (Object.keys(def.depends_on).length > 0 ? 1 : 0);
      if (rank > bestRank) [best, bestRank] = [unit, rank];
    }
    return best;
  }

  /**
   * One launch per turn of the event loop: a spawn blocks the loop for a few milliseconds, and 50 in a
   * row would hold up the report that the first one is running (and so its probes, and its dependents).
   * A program nobody waits for also keeps clear of the readiness checks that others wait for.
   */
  #launchNext(): void {
    // A turn held back for a check gives way to a unit that need not wait (one released meanwhile).
    if (this.#launching !== null && !this.#holding) return;
    const unit = this.#first();
    if (unit === undefined) return;
    const wait = this.#clearance(unit);
    if (wait > 0 && this.#holding) return;
    this.#launching?.();
    this.#holding = wait > 0;
    if (wait === 0) {
      this.#clearingSince = null;
      this.#queued.delete(unit);
      // A stop while it waited for its turn took its start back.
      if (unit.pending) {
        const begun = performance.now();
        void unit.launch();
        this.#launchMs = performance.now() - begun;
      }
    }
    this.#launching = nextTurn(wait, () => {
      this.#launching = null;
      this.#holding = false;
      this.#launchNext();
    });
  }

  /**
   * How long `unit`'s launch waits to stay clear of a check that waiting programs depend on: 0 for a
   * unit others wait for (its own start is on their path), and when no such check is near.
   */
  #clearance(unit: Unit): number {
    if ((this.#chains.get(unit.program.name) ?? 0) > 0) return 0;
    const now = performance.now();
    const checks = this.#awaitedHealthy().flatMap((awaited) => awaited.readinessCheck() ?? []);
    const wait = launchClearance(now, this.#launchMs, checks);
    if (wait === 0) return 0;
    this.#clearingSince ??= now;
    return now - this.#clearingSince < MAX_HOLD_MS ? wait : 0;
  }

  /** The units whose readiness a waiting unit needs. */
  #awaitedHealthy(): Unit[] {
    const names = new Set<string>();
    for (const unit of this.#all()) {
      if (!unit.pending) continue;
      for (const [name, { condition }] of Object.entries(unit.program.def.depends_on))
        if (condition === 'healthy') names.add(name);
    }
    return [...names].flatMap((name) => this.#units.get(name) ?? []);
  }
}
