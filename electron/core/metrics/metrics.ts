// Prometheus metrics of one backend: its supervised programs, their families, the monitor and itself.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type LabelValues } from 'prom-client';
import type { ChildInfo, ChildState, ProgramInfo, ProgramState, TreeDelta } from '../../../shared/model';
import type { Monitor } from '../monitor';
import type { Supervisor } from '../supervisor';
import { FamilyMeter, type FamilyFigures } from './families';
import { FamilyIo, openFds, type FamilyIoFigures } from './family-io';
import { programLabels, type ProgramLabels } from './labels';

// Every state a child, or a stack's program, can be in, once; the object types fail the build when the
// states grow.
const CHILD_STATE_SET: Record<ChildState, true> = {
  created: true,
  starting: true,
  running: true,
  stopping: true,
  exited: true,
  failed: true,
  backoff: true,
  fatal: true,
};
const PROGRAM_STATE_SET: Record<ProgramState, true> = {
  waiting: true,
  blocked: true,
  starting: true,
  running: true,
  healthy: true,
  stopping: true,
  exited: true,
  failed: true,
  backoff: true,
  fatal: true,
  stopped: true,
  disabled: true,
};
const CHILD_STATES = Object.keys(CHILD_STATE_SET);
const PROGRAM_STATES = Object.keys(PROGRAM_STATE_SET);

const PROGRAM = ['program', 'replica'] as const;
// process-exporter's label for a group, so dashboards made for it read Proctor's families unchanged.
const GROUP = ['groupname', 'replica'] as const;
/** One of prom-client's standard metrics, read here in a cheaper way. */
const OPEN_FDS = 'process_open_fds';
/** How often the event-loop lag (nodejs_eventloop_lag_*) is sampled. */
const LAG_SAMPLE_MS = 100;
const TICK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

type Series = Array<[LabelValues<string>, number]>;

interface SeriesConfig {
  name: string;
  help: string;
  labelNames: readonly string[];
  /** Every series of the metric as of now, asked at scrape time. */
  series: () => Series;
}

/** A gauge or a counter whose series are replaced whole at each scrape (after reset, inc sets). */
function register(kind: typeof Gauge | typeof Counter, config: SeriesConfig, registers: Registry[]): void {
  const { series, ...rest } = config;
  new kind({
    ...rest,
    registers,
    collect: function (this: Gauge | Counter) {
      this.reset();
      for (const [labels, value] of series()) this.inc(labels, value);
    },
  });
}

/** A stack's program (or one replica), or a child no program runs, as every metric of its own sees it. */
interface Program {
  /** The supervised child that runs it; null before its first start. */
  childId: string | null;
  labels: ProgramLabels;
  state: string;
  /** The states proctor_program_state lists for it: a program's, or a bare child's. */
  states: readonly string[];
  up: boolean;
  /** Whether its readiness probe passes; null when it has none. */
  healthy: boolean | null;
  restarts: number;
  exitcode: number | null;
  startedAt: number | null;
}

function ofChild(info: ChildInfo, labels: ProgramLabels): Program {
  return {
    childId: info.id,
    labels,
    state: info.state,
    states: CHILD_STATES,
    up: info.state === 'running',
    healthy: null,
    restarts: info.restarts,
    exitcode: info.exitcode,
    startedAt: info.startedAt,
  };
}

/** `program` is the stack's name for it, `replica` its index where the program has several. */
function ofStack(stack: readonly ProgramInfo[]): Program[] {
  const replicas = new Map<string, number>();
  for (const { program } of stack) replicas.set(program, (replicas.get(program) ?? 0) + 1);
  return stack.map((info) => ({
    childId: info.childId,
    labels: {
      program: info.program,
      ...(replicas.get(info.program)! > 1 && { replica: String(info.replica) }),
    },
    state: info.state,
    states: PROGRAM_STATES,
    up: info.state === 'running' || info.state === 'healthy',
    healthy: info.probes.readiness ? info.state === 'healthy' : null,
    restarts: info.restarts,
    exitcode: info.exitcode,
    startedAt: info.startedAt,
  }));
}

/**
 * A prom-client registry filled at scrape time from what the last monitor tick, the supervisor and the
 * stack already hold: a scrape makes no pass over /proc. What a tick does not read, open files and disk
 * I/O, is read for the last tick's family members alone, two small files each and bounded (FamilyIo);
 * the backend's own `process_*` metrics read a few files of its own pid. Per tick it counts the
 * supervised families' CPU (FamilyMeter) and times the tick; everything else is read when Prometheus asks.
 */
export class ProctorMetrics {
  readonly registry = new Registry();
  private readonly meter: FamilyMeter;
  private readonly io = new FamilyIo();
  private ioFigures = new Map<string, FamilyIoFigures>();
  private readonly lastExit = new Map<string, number>();
  private readonly tickSeconds: Histogram;
  private programs: Program[] = [];
  private readonly unsubscribe: Array<() => void>;
  private readonly onDelta = (delta: TreeDelta): void => {
    this.meter.record();
    this.tickSeconds.observe(delta.stats.lastTickMs / 1000);
  };
  private readonly onExit = (info: ChildInfo): void => {
    if (info.exitcode !== null) this.lastExit.set(info.id, info.exitcode);
  };

  /** `stack`: the programs of the loaded stack file, named by the stack rather than by their children. */
  constructor(
    private readonly monitor: Monitor,
    private readonly supervisor: Supervisor,
    private readonly stack: () => readonly ProgramInfo[] = () => [],
  ) {
    this.meter = new FamilyMeter(monitor);
    const registers = [this.registry];
    // The event-loop lag is sampled by a timer that wakes the backend at this interval, scrape or not: at
    // prom-client's 10 ms it cost about as much CPU as a scrape every 15 s.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: LAG_SAMPLE_MS });
    // prom-client lists /proc/self/fd for it, a listing of thousands with a few pipes a child: counted instead.
    if (this.registry.getSingleMetric(OPEN_FDS)) {
      this.registry.removeSingleMetric(OPEN_FDS);
      new Gauge({
        name: OPEN_FDS,
        help: 'Number of open file descriptors.',
        registers,
        collect: function () {
          const count = openFds(process.pid);
          if (count !== null) this.set(count);
        },
      });
    }
    this.tickSeconds = new Histogram({
      name: 'proctor_monitor_tick_seconds',
      help: 'Time one monitor tick took: reading the process table, marking, history and delta.',
      buckets: TICK_BUCKETS,
      registers,
    });
    new Gauge({
      name: 'proctor_monitor_processes',
      help: 'Processes in the last monitor tick.',
      registers,
      collect: function () {
        this.set(monitor.stats().processCount);
      },
    });
    // The collects below run at scrape time, after render() has asked the supervisor once for all of them.
    const lastExit = this.lastExit;
    // CPU time and VSZ come from the /proc source only; elsewhere they are left out, never shown as 0.
    const usage = monitor.measuresUsage;
    const program = (value: (program: Program) => number | null) => (): Series =>
      this.programs.flatMap((one): Series => {
        const figure = value(one);
        return figure === null ? [] : [[{ ...one.labels }, figure]];
      });
    const group =
      (values: (figures: FamilyFigures, io: FamilyIoFigures | undefined) => Series) => (): Series =>
        this.programs.flatMap(({ childId, labels }) => {
          if (childId === null) return [];
          const name = { groupname: labels.program, ...(labels.replica && { replica: labels.replica }) };
          const figures = values(this.meter.get(childId), this.ioFigures.get(childId));
          return figures.map(([extra, value]): Series[number] => [{ ...name, ...extra }, value]);
        });
    const present = (extra: LabelValues<string>, value: number | null | undefined): Series =>
      value === null || value === undefined ? [] : [[extra, value]];
    const series: Array<{ kind: typeof Gauge | typeof Counter; config: SeriesConfig }> = [
      {
        kind: Gauge,
        config: {
          name: 'proctor_program_up',
          help: 'Whether the program is running (1) or not (0).',
          labelNames: PROGRAM,
          series: program((one) => (one.up ? 1 : 0)),
        },
      },
      {
        kind: Gauge,
        config: {
          name: 'proctor_program_state',
          help: "The program's state: 1 for the one it is in, 0 for the others.",
          labelNames: [...PROGRAM, 'state'],
          series: () =>
            this.programs.flatMap((one) =>
              one.states.map((state): Series[number] => [
                { ...one.labels, state },
                one.state === state ? 1 : 0,
              ]),
            ),
        },
      },
      {
        kind: Gauge,
        config: {
          name: 'proctor_program_healthy',
          help: "Whether the program's readiness probe passes (1) or not (0). Absent without a readiness probe.",
          labelNames: PROGRAM,
          series: program((one) => (one.healthy === null ? null : one.healthy ? 1 : 0)),
        },
      },
      {
        kind: Counter,
        config: {
          name: 'proctor_program_restarts_total',
          help: 'Times the program was started again, by its restart policy or by hand.',
          labelNames: PROGRAM,
          series: program((one) => one.restarts),
        },
      },
      {
        kind: Gauge,
        config: {
          name: 'proctor_program_last_exit_code',
          help: "The program's last exit code; -N when signal N ended it. Absent until it first exits.",
          labelNames: PROGRAM,
          series: program(
            (one) => one.exitcode ?? (one.childId === null ? null : lastExit.get(one.childId)) ?? null,
          ),
        },
      },
      {
        kind: Gauge,
        config: {
          name: 'proctor_program_start_time_seconds',
          help: 'When the current (or last) run of the program started, in seconds since the epoch.',
          labelNames: PROGRAM,
          series: program((one) => (one.startedAt === null ? null : one.startedAt / 1000)),
        },
      },
      {
        kind: Gauge,
        config: {
          name: 'namedprocess_namegroup_num_procs',
          help: "Processes in the program's family: the program and its descendants.",
          labelNames: GROUP,
          series: group((f) => [[{}, f.procs]]),
        },
      },
      {
        kind: Gauge,
        config: {
          name: 'namedprocess_namegroup_num_threads',
          help: "Threads in the program's family.",
          labelNames: GROUP,
          series: group((f) => [[{}, f.threads]]),
        },
      },
      {
        kind: Counter,
        config: {
          name: 'namedprocess_namegroup_cpu_seconds_total',
          help: "CPU time the program's family spent, by mode, exited members included.",
          labelNames: [...GROUP, 'mode'],
          series: group((f) =>
            usage
              ? [
                  [{ mode: 'user' }, f.userSeconds],
                  [{ mode: 'system' }, f.systemSeconds],
                ]
              : [],
          ),
        },
      },
      {
        kind: Gauge,
        config: {
          name: 'namedprocess_namegroup_memory_bytes',
          help: "Memory of the program's family: resident (RSS) and virtual (VSZ), summed over its members.",
          labelNames: [...GROUP, 'memtype'],
          series: group((f) => [
            [{ memtype: 'resident' }, f.residentBytes],
            ...(usage ? [[{ memtype: 'virtual' }, f.virtualBytes] as Series[number]] : []),
          ]),
        },
      },
      {
        kind: Gauge,
        config: {
          name: 'namedprocess_namegroup_open_filedesc',
          help: "Open file descriptors of the program's family (members whose fds can be listed).",
          labelNames: GROUP,
          series: group((_, io) => present({}, io?.openFds)),
        },
      },
      {
        kind: Counter,
        config: {
          name: 'namedprocess_namegroup_read_bytes_total',
          help: "Bytes the program's family read from storage (/proc/PID/io read_bytes), where readable.",
          labelNames: GROUP,
          series: group((_, io) => present({}, io?.readBytes)),
        },
      },
      {
        kind: Counter,
        config: {
          name: 'namedprocess_namegroup_write_bytes_total',
          help: "Bytes the program's family wrote to storage (/proc/PID/io write_bytes), where readable.",
          labelNames: GROUP,
          series: group((_, io) => present({}, io?.writeBytes)),
        },
      },
    ];
    for (const { kind, config } of series) register(kind, config, registers);

    this.unsubscribe = [monitor.on('delta', this.onDelta), supervisor.on('exit', this.onExit)];
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text exposition of every metric, as of the last tick. */
  render(): Promise<string> {
    this.refreshPrograms();
    // Open files and I/O are not in a tick: read now, for the last tick's family members only (bounded).
    if (this.monitor.measuresUsage) this.ioFigures = this.io.read(this.meter.lastMembers());
    return this.registry.metrics();
  }

  dispose(): void {
    for (const off of this.unsubscribe) off();
    this.registry.clear();
  }

  private refreshPrograms(): void {
    const infos = this.supervisor.children().map((child) => child.info());
    const stack = ofStack(this.stack());
    const owned = new Set(stack.map((one) => one.childId));
    const adHoc = infos.filter((info) => !owned.has(info.id));
    const labels = programLabels(adHoc);
    this.programs = [...stack, ...adHoc.map((info) => ofChild(info, labels.get(info.id)!))];
    const ids = new Set(infos.map((info) => info.id));
    this.meter.keepOnly(ids);
    this.io.keepOnly(ids);
    for (const id of this.lastExit.keys()) if (!ids.has(id)) this.lastExit.delete(id);
  }
}
