// The stack file (`proctor.yaml`), written once: the loader validates with it, the types come from it,
// and `docs/proctor.schema.json` is generated from it so editors complete the file.
import { z } from 'zod';
import { LOG_MAX_BYTES, LOG_MAX_FILES } from '../../../shared/limits';
import { ProgramNameSchema, webhookUrlSchema } from '../../../shared/schemas';
import { SIGNAL_NAMES } from '../../../shared/signals';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/** A duration as milliseconds (`250`) or with a unit (`250ms`, `5s`, `2m`, `1h`); always milliseconds after parsing. */
const duration = (what: string, max = 86_400_000) =>
  z
    .union([
      z
        .number({ error: `${what} must be a duration` })
        .int(`${what} must be whole milliseconds`)
        .min(0),
      z.string().regex(DURATION, `${what} must be a duration such as 500ms, 5s, 2m or 1h`),
    ])
    .transform((value) => {
      if (typeof value === 'number') return value;
      const [, amount, unit] = DURATION.exec(value)!;
      return Math.round(Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS]);
    })
    .pipe(z.number().max(max, `${what} must be at most ${max} ms`));

const Name = ProgramNameSchema;

const noNul = (what: string) =>
  z.string().refine((s) => !s.includes('\0'), `${what} must not contain a NUL byte`);

const Command = z.union([
  noNul('command').min(1, 'command must not be empty'),
  z.array(noNul('each argument')).min(1, 'a command list needs at least the program'),
]);

const EnvValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const EnvName = z
  .string()
  .regex(/^[^=\0]+$/, 'an environment name must be non-empty and must not contain "="');
/** A map, or process-compose's list of `NAME=value`. */
const Environment = z
  .union([
    z.record(EnvName, EnvValue),
    z.array(z.string().regex(/^[^=\0]+=/, 'an environment entry must look like NAME=value')),
  ])
  .transform((env): Record<string, string> =>
    Array.isArray(env)
      ? Object.fromEntries(
          env.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
        )
      : env,
  );

const isRegex = (pattern: string): boolean => {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
};
const Regex = z.string().min(1).refine(isRegex, 'not a valid regular expression');

const Port = z.number().int().min(1).max(65_535);

export const PROBE_KINDS = ['exec', 'http_get', 'tcp_socket', 'log_line'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

export const ProbeSchema = z
  .strictObject({
    exec: z.strictObject({ command: Command }).optional(),
    http_get: z
      .strictObject({
        url: z.url({ protocol: /^https?$/, error: 'url must be an http:// or https:// address' }),
      })
      .optional(),
    tcp_socket: z.strictObject({ host: z.string().min(1).default('127.0.0.1'), port: Port }).optional(),
    log_line: Regex.optional().describe("Passes once a line of the program's output matches."),
    initial_delay: duration('initial_delay').default(0),
    period: duration('period').pipe(z.number().min(10, 'period must be at least 10ms')).default(1000),
    timeout: duration('timeout').pipe(z.number().min(1, 'timeout must be at least 1ms')).default(1000),
    success_threshold: z.number().int().min(1).max(1000).default(1),
    failure_threshold: z.number().int().min(1).max(1000).default(3),
  })
  .refine((probe) => PROBE_KINDS.filter((kind) => probe[kind] !== undefined).length === 1, {
    message: `a probe needs exactly one of ${PROBE_KINDS.join(', ')}`,
  });

export const CONDITIONS = ['started', 'healthy', 'log_ready', 'completed', 'completed_successfully'] as const;
export type Condition = (typeof CONDITIONS)[number];

const Dependency = z.strictObject({
  condition: z
    .enum(CONDITIONS, { error: `condition must be one of ${CONDITIONS.join(', ')}` })
    .default('started'),
});

/** A map of name to condition, or a plain list of names (condition `started`). */
const DependsOn = z
  .union([z.record(Name, Dependency), z.array(Name)])
  .transform((deps): Record<string, { condition: Condition }> =>
    Array.isArray(deps) ? Object.fromEntries(deps.map((name) => [name, { condition: 'started' }])) : deps,
  );

export const RestartSchema = z.strictObject({
  policy: z
    .enum(['never', 'on-failure', 'always'])
    .default('never')
    .describe('When an exit that was not asked for restarts.'),
  backoff: duration('backoff')
    .default(1000)
    .describe('The first delay before a restart; it doubles with each fast failure.'),
  max_backoff: duration('max_backoff').default(60_000),
  max_restarts: z
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(10)
    .describe('Fast failures in a row before the program goes fatal.'),
  min_uptime: duration('min_uptime')
    .default(10_000)
    .describe('A run shorter than this counts as a fast failure.'),
});

export const StopSchema = z.strictObject({
  signal: z.enum(SIGNAL_NAMES).default('SIGTERM').describe("Sent to the program's process group to stop it."),
  grace: duration('grace', 600_000).default(5000).describe('From the signal to SIGKILL.'),
  command: Command.optional().describe(
    "Run (by `sh -c` or directly) before the signal, with the program's environment; bounded by the grace.",
  ),
});

export const ProgramSchema = z.strictObject({
  command: Command.describe(
    'A string is run by `sh -c`; a list is run directly, its first item the program.',
  ),
  cwd: z.string().min(1).optional().describe("Relative to the stack file's folder."),
  env: Environment.optional(),
  env_file: z
    .union([z.string().min(1), z.array(z.string().min(1))])
    .optional()
    .describe("dotenv files, relative to the stack file's folder; `env` wins over them."),
  daemon: z
    .boolean()
    .default(false)
    .describe("Python's daemon flag, marked in the tree; every program is stopped when Proctor quits."),
  autostart: z.boolean().default(true).describe('Start when the file is loaded; otherwise only when asked.'),
  disabled: z.boolean().default(false).describe('Never started; its dependents are blocked.'),
  restart: RestartSchema.default(RestartSchema.parse({})),
  stop: StopSchema.default(StopSchema.parse({})),
  success_exit_codes: z
    .array(z.number().int().min(0).max(255))
    .min(1)
    .default([0])
    .describe('Exit codes that count as success for on-failure and completed_successfully.'),
  depends_on: DependsOn.default({}).describe(
    'Programs to wait for, each with a condition (default started).',
  ),
  ready_log_line: Regex.optional().describe(
    'The line (regex) after which the program counts as `log_ready`.',
  ),
  readiness_probe: ProbeSchema.optional().describe('Passing makes the program healthy.'),
  liveness_probe: ProbeSchema.refine((probe) => probe.log_line === undefined, {
    message: 'a log line cannot be a liveness probe: it passes once and never fails',
  })
    .optional()
    .describe(
      'Failing ends the run (stop signal, SIGKILL after the grace); the restart policy decides what follows.',
    ),
  replicas: z
    .number()
    .int()
    .min(1)
    .max(256)
    .default(1)
    .describe('Copies named `name-i`, each with PROCTOR_REPLICA=i.'),
  rss_limit: z
    .strictObject({ mb: z.number().positive(), ticks: z.number().int().min(1).max(1000).default(1) })
    .optional()
    .describe(
      'Restart when the RSS of the whole family (MiB) stays above `mb` for `ticks` monitor ticks in a row.',
    ),
  log_dir: noNul('log_dir')
    .min(1)
    .optional()
    .describe(
      "Where the program's logs go, relative to the stack file's folder (one subfolder a replica); default the settings' log folder.",
    ),
  log_rotation: z
    .strictObject({
      max_bytes: z.number().int().min(LOG_MAX_BYTES.min).max(LOG_MAX_BYTES.max).optional(),
      max_files: z.number().int().min(LOG_MAX_FILES.min).max(LOG_MAX_FILES.max).optional(),
    })
    .optional()
    .describe("One log file's size and the files kept, instead of the settings' for this program."),
  webhook: webhookUrlSchema('webhook')
    .optional()
    .describe(
      "Also told of this program's crashes, fatal exits, blocks and failed probes, besides the settings' webhook.",
    ),
});

export const StackSchema = z.strictObject({
  environment: Environment.default({}).describe(
    "Shared by every program; a program's own `env_file` and `env` win over it.",
  ),
  ordered_shutdown: z
    .boolean()
    .default(false)
    .describe('Stop in reverse dependency order (dependents first).'),
  watch: z.boolean().default(false).describe('Reload the file when it changes on disk.'),
  programs: z.record(Name, ProgramSchema).default({}).describe('The programs, by name.'),
});

export type StackFile = z.output<typeof StackSchema>;
export type ProgramDef = z.output<typeof ProgramSchema>;
export type ProbeDef = z.output<typeof ProbeSchema>;
export type CommandDef = z.output<typeof Command>;

/** The schema as editors read it: what a user may write (durations as text or numbers). */
export function stackJsonSchema(): object {
  return z.toJSONSchema(StackSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
}
