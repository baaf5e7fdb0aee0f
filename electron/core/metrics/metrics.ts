// Prometheus metrics of one backend: its supervised programs, their families, the monitor and itself.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type LabelValues } from 'prom-client';
import type { ChildInfo, ChildState, TreeDelta } from '../../../shared/model';
import type { Monitor } from '../monitor';
import type { Supervisor } from '../supervisor';
import { FamilyMeter, type FamilyFigures } from './families';
import { programLabels, type ProgramLabels } from './labels';

// Every state a child can be in, once; the object type fails the build when ChildState grows.
const STATE_SET: Record<ChildState, true> = {
  created: true,
  starting: true,
  running: true,
  stopping: true,
  exited: true,
  failed: true,
  backoff: true,
  fatal: true,
};
const STATES = Object.keys(STATE_SET) as ChildState[];

const PROGRAM = ['program', 'replica'] as const;
// process-exporter's label for a group, so dashboards made for it read Proctor's families unchanged.
const GROUP = ['groupname', 'replica'] as const;
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

interface Program {
  info: ChildInfo;
  labels: ProgramLabels;
}

/**
 * A prom-client registry filled at scrape time from what the last monitor tick and the supervisor
 * already hold: a scrape reads no /proc of its own (the backend's own `process_*` metrics aside, a
 * few files of its own pid). Per tick it adds up the supervised families (FamilyMeter) and times the
 * tick; everything else is read when Prometheus asks.
 */
export class ProctorMetrics {
  readonly registry = new Registry();
  private readonly meter: FamilyMeter;
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

  constructor(
    private readonly monitor: Monitor,
    private readonly supervisor: Supervisor,
  ) {
    this.meter = new FamilyMeter(monitor);
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
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
    const program = (value: (info: ChildInfo) => number | null) => (): Series =>
      this.programs.flatMap(({ info, labels }): Series => {
        const figure = value(info);
        return figure === null ? [] : [[{ ...labels }, figure]];
      });
    const group = (values: (figures: FamilyFigures) => Series) => (): Series =>
      this.programs.flatMap(({ info, labels }) => {
        const name = { groupname: labels.program, ...(labels.replica && { replica: labels.replica }) };
        return values(this.meter.get(info.id)).map(([extra, value]): Series[number] => [
          { ...name, ...extra },
          value,
        ]);
      });
    const series: Array<{ kind: typeof Gauge | typeof Counter; config: SeriesConfig }> = [
      {
        kind: Gauge,
        config: {
          name: 'proctor_program_up',
          help: 'Whether the program is running (1) or not (0).',
          labelNames: PROGRAM,
          series: program((info) => (info.state === 'running' ? 1 : 0)),
        },
      },
      {
        kind: Gauge,
        config: {
          name: 'proctor_program_state',
          help: "The program's state: 1 for the one it is in, 0 for the others.",
          labelNames: [...PROGRAM, 'state'],
          series: () =>
            this.programs.flatMap(({ info, labels }) =>
              STATES.map((state): Series[number] => [{ ...labels, state }, info.state === state ? 1 : 0]),
            ),
        },
      },
      {
        kind: Counter,
        config: {
          name: 'proctor_program_restarts_total',
          help: 'Times the program was started again, by its restart policy or by hand.',
          labelNames: PROGRAM,
          series: program((info) => info.restarts),
        },
      },
      {
        kind: Gauge,
        config: {
          name: 'proctor_program_last_exit_code',
          help: "The program's last exit code; -N when signal N ended it. Absent until it first exits.",
          labelNames: PROGRAM,
          series: program((info) => info.exitcode ?? lastExit.get(info.id) ?? null),
        },
      },
      {
        kind: Gauge,
        config: {
          name: 'proctor_program_start_time_seconds',
          help: 'When the current (or last) run of the program started, in seconds since the epoch.',
          labelNames: PROGRAM,
          series: program((info) => (info.startedAt === null ? null : info.startedAt / 1000)),
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
    return this.registry.metrics();
  }

  dispose(): void {
    for (const off of this.unsubscribe) off();
    this.registry.clear();
  }

  private refreshPrograms(): void {
    const infos = this.supervisor.children().map((child) => child.info());
    const labels = programLabels(infos);
    this.programs = infos.map((info) => ({ info, labels: labels.get(info.id)! }));
    this.meter.keepOnly(new Set(infos.map((info) => info.id)));
    for (const id of this.lastExit.keys()) if (!labels.has(id)) this.lastExit.delete(id);
  }
}
