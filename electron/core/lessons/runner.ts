// Runs one lesson: its program (or the learner's edit of it, or their own script) under the Supervisor,
// its family watched by the Monitor at 250 ms and read for IPC edges and shared objects, then the
// lesson's checks over what was seen. One lesson at a time.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { CodedError, messageOf, type ProctorError } from '../../../shared/errors';
import { EDITED_RUN_LIMIT_MS, INTERVAL_MS } from '../../../shared/limits';
import { OWN_SCRIPT_ID, type FamilyGraph, type LessonCheck, type LessonRun } from '../../../shared/model';
import { format } from '../../../shared/words';
import { mergeFamilyGraphs, readFamilyGraph, treeGraph } from '../family';
import type { Child } from '../supervisor';
import type { Catalogue } from './catalogue';
import { CHECKS, exitedCleanly, result, type CheckContext, type CheckResult } from './checks';
import { Claims } from './claims';
import type { LessonHost } from './host';
import { FamilyObserver } from './observer';
import { findSyntaxError } from './syntax';

export interface RunRequest {
  id: string;
  python: string;
  /** The learner's code; null runs the lesson's own. */
  code: string | null;
  /** null: 60 s for the learner's code, 15 s for a lesson's own. */
  timeLimitMs: number | null;
}

/** Dense enough to catch a zombie or an orphan that lives half a second; leased for the run. */
const LESSON_INTERVAL_MS = INTERVAL_MS.min;
/** A lesson takes ≤ 10 s; one still running at this limit is terminated and fails. */
const RUN_LIMIT_MS = 15_000;
/** The learner's code runs from the run's folder under this name, so a traceback names a file they know. */
const EDITED_SCRIPT = 'lesson.py';
const STOP_GRACE_MS = 1000;
/** The longest wait for a last sample after the program exited. */
const SAMPLE_WAIT_MS = 1000;
/** Recorded run graphs kept for the family view after the family has gone. */
const KEPT_GRAPHS = 20;

export class LessonRunner {
  private active: string | null = null;
  private readonly graphs = new Map<string, FamilyGraph>();
  /** Each lesson's last run, replaced by its next one so the tree lists one finished run per lesson. */
  private readonly lastRun = new Map<string, string>();

  constructor(
    private readonly host: LessonHost,
    private readonly catalogue: Catalogue,
  ) {}

  /** Everything the family view showed during a lesson's run, once its family is gone. */
  recordedGraph(childId: string): FamilyGraph | undefined {
    return this.graphs.get(childId);
  }

  /**
   * Resolves with the finished run; `lesson:run` events carry it while it runs and when it ends. The slot
   * is taken before `prepare` (finding Python, reading the edit) awaits anything, so a second run asked for
   * meanwhile is refused rather than racing the first.
   */
  async run(id: string, prepare: () => Promise<Omit<RunRequest, 'id'>>): Promise<LessonRun> {
    if (this.active !== null) {
      throw new CodedError('E_STATE', `lesson ${this.active} is still running; wait for it to finish`);
    }
    this.active = id;
    let dir: string | null = null;
    let release: (() => void) | null = null;
    try {
      const request = { id, ...(await prepare()) };
      release = this.host.leaseInterval(LESSON_INTERVAL_MS);
      dir = await mkdtemp(join(tmpdir(), 'proctor-lesson-'));
      return await this.runIn(request, dir);
    } finally {
      this.active = null;
      release?.();
      if (dir !== null) await rm(dir, { recursive: true, force: true });
    }
  }

  dispose(): void {
    this.graphs.clear();
  }

  private async runIn({ id, python, code, timeLimitMs }: RunRequest, dir: string): Promise<LessonRun> {
    const startedAt = Date.now();
    const edited = code !== null;
    const limit = timeLimitMs ?? (edited ? EDITED_RUN_LIMIT_MS.default : RUN_LIMIT_MS);
    const refused = edited ? await findSyntaxError(python, code) : null;
    if (refused) {
      return this.finish(
        {
          runId: randomUUID(),
          lessonId: id,
          childId: null,
          state: 'failed',
          startedAt,
          durationMs: null,
          checks: [],
          edited,
          syntaxError: refused,
        },
        [],
      );
    }
    const script = edited ? join(dir, EDITED_SCRIPT) : this.catalogue.scriptPath(id);
    if (edited) await writeFile(script, code, 'utf8');
    this.forgetLastRun(id);
    const child = await this.host.startChild({
      command: python,
      args: ['-u', script, dir],
      cwd: dir,
      name: `lesson ${id}`,
      // The lessons import proctor_lesson from their folder; no __pycache__ is written into the app.
      env: {
        PYTHONPATH: [this.catalogue.dir, process.env.PYTHONPATH].filter(Boolean).join(delimiter),
        PYTHONDONTWRITEBYTECODE: '1',
      },
    });
    this.lastRun.set(id, child.id);
    const run: LessonRun = {
      runId: randomUUID(),
      lessonId: id,
      childId: child.id,
      state: 'running',
      startedAt,
      durationMs: null,
      checks: [],
      edited,
    };
    if (child.error) return this.finish(run, [failedToStart(child.error)]);
    this.host.publish(run);

    const watch = new FamilyWatch(this.host, child);
    let exitcode: number | null;
    try {
      exitcode = await child.join(limit);
      if (exitcode === null) {
        run.timedOut = limit;
        await child.terminate(STOP_GRACE_MS);
        exitcode = child.exitcode;
      }
      await watch.sampleOnce();
    } finally {
      await watch.stop();
    }
    this.keep(child.id, watch.graph);
    const checks =
      id === OWN_SCRIPT_ID
        ? []
        : this.check(id, {
            main: child.pid ?? -1,
            guard: child.guardPid,
            exitcode,
            claims: new Claims(child.output.lines()),
            seen: watch.observer.observed(),
            graph: watch.graph,
            dir,
          });
    return this.finish(run, [...checks, exitedCleanly(exitcode)]);
  }

  private forgetLastRun(lessonId: string): void {
    const previous = this.lastRun.get(lessonId);
    if (previous === undefined) return;
    this.lastRun.delete(lessonId);
    this.graphs.delete(previous);
    const child = this.host.child(previous);
    // Gone already (the user removed it), or restarted by the user and theirs to manage now.
    if (child && !child.isAlive() && child.state !== 'backoff') this.host.removeChild(previous);
  }

  private check(id: string, ctx: CheckContext): CheckResult[] {
    try {
      return CHECKS[id]!(ctx);
    } catch (error) {
      // A check that breaks on odd output is a failed check with the reason, never a crashed run.
      return [brokenCheck(error)];
    }
  }

  private finish(run: LessonRun, results: CheckResult[]): LessonRun {
    const checks: LessonCheck[] = results.map((r) => ({
      label: r.label,
      passed: r.passed,
      observed: r.observed,
    }));
    const done: LessonRun = {
      ...run,
      checks,
      state: checks.length > 0 && checks.every((c) => c.passed) ? 'passed' : 'failed',
      durationMs: Date.now() - run.startedAt,
    };
    this.host.publish(done);
    return done;
  }

  private keep(childId: string, graph: FamilyGraph): void {
    this.graphs.set(childId, graph);
    for (const oldest of this.graphs.keys()) {
      if (this.graphs.size <= KEPT_GRAPHS) break;
      this.graphs.delete(oldest);
    }
  }
}

/** Records every monitor tick of one family and reads its graph, one read at a time. */
class FamilyWatch {
  readonly observer: FamilyObserver;
  graph: FamilyGraph;
  private reading: Promise<void> | null = null;
  private readonly offDelta: () => void;
  private readonly deltaWaiters = new Set<() => void>();
  // A paused monitor does not tick on its own; the lesson still needs its samples.
  private readonly pausedTicker: NodeJS.Timeout;

  constructor(
    private readonly host: LessonHost,
    private readonly child: Child,
  ) {
    this.observer = new FamilyObserver(child.id);
    this.graph = { childId: child.id, nodes: [], edges: [], objects: [], roles: {} };
    this.offDelta = host.onDelta(() => {
      this.sample();
      for (const wake of [...this.deltaWaiters]) wake();
    });
    this.pausedTicker = setInterval(() => {
      if (host.paused()) void this.tick();
    }, LESSON_INTERVAL_MS);
  }

  /** One more tick now, so the family's last moments (a child gone, the program gone) are seen. */
  async sampleOnce(): Promise<void> {
    let wake = (): void => undefined;
    const next = new Promise<void>((resolve) => (wake = resolve));
    this.deltaWaiters.add(wake);
    // tick() answers null while the loop's own tick runs; that tick's delta is then the one to wait
    // for, but never for long: a stopped monitor (the app quitting) may not tick again.
    const timer = setTimeout(wake, SAMPLE_WAIT_MS);
    try {
      if ((await this.tick()) === null) await next;
    } finally {
      clearTimeout(timer);
      this.deltaWaiters.delete(wake);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.pausedTicker);
    this.offDelta();
    await this.reading;
  }

  /** A failed tick is logged (the monitor's loop reports its own); the run goes on with the samples it has. */
  private tick(): Promise<unknown> {
    return this.host.tick().catch((error: unknown) => {
      this.host.log.warn({ childId: this.child.id, error: messageOf(error) }, 'lesson sample failed');
      return undefined;
    });
  }

  private sample(): void {
    const snapshot = this.host.snapshot();
    this.observer.record(snapshot);
    // Every process the monitor saw is in the run's graph, even when an fd read was still under way.
    this.graph = mergeFamilyGraphs(this.graph, treeGraph(this.child.id, snapshot));
    if (this.reading) return;
    const outsiders = [process.pid, ...(this.child.guardPid === null ? [] : [this.child.guardPid])];
    this.reading = readFamilyGraph(this.child.id, snapshot, outsiders)
      .then((graph) => {
        this.graph = mergeFamilyGraphs(this.graph, graph);
      })
      .catch((error: unknown) => {
        // The run's graph keeps what the tree showed; only the pipe and socket edges of this read are lost.
        this.host.log.warn({ childId: this.child.id, error: messageOf(error) }, 'lesson family read failed');
      })
      .finally(() => {
        this.reading = null;
      });
  }
}

/** The spawn error in each language's words, as the window says it elsewhere. */
function failedToStart(error: ProctorError): CheckResult {
  return result(
    (words) => words.check.programStarted,
    false,
    (words) => format(words.errors[error.code], { message: error.message }),
  );
}

/** A bug in a check: its own message, which no catalogue can know. */
function brokenCheck(error: unknown): CheckResult {
  return result(
    (words) => words.check.checkRan,
    false,
    () => messageOf(error),
  );
}
