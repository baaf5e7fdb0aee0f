// Request schemas: every payload that enters the backend is parsed with one of these first.
import { z } from 'zod';
import { OPTIONAL_COLUMNS } from './columns';
import {
  BACKOFF_MAX_MS,
  EDITED_RUN_LIMIT_MS,
  LESSON_CODE_MAX_BYTES,
  GRACE_MS,
  HISTORY_LENGTH,
  INTERVAL_MS,
  KEEP_EXITED,
  MAX_ARG_BYTES,
  LOG_MAX_BYTES,
  LOG_MAX_FILES,
  MAX_RETRIES_MAX,
  PID_MAX,
  QUIT_JOIN_MS,
} from './limits';
import { SIGNAL_NAMES } from './signals';
import { LANGUAGES } from './words/languages';

const utf8 = new TextEncoder();
/** Bytes as execve counts them: UTF-8 plus the NUL. */
const execBytes = (s: string): number => utf8.encode(s).length + 1;

/** Strings that reach execve: a NUL byte would be cut there silently, so refuse it here. */
const execString = (what: string, max = 65_536) =>
  z
    .string({ error: `${what} must be a string` })
    .max(max, `${what} is longer than ${max} characters`)
    .refine((s) => !s.includes('\0'), `${what} must not contain a NUL byte`);
/** An argument: limited by bytes, as the kernel counts them, not by characters. */
const execArgument = z
  .string({ error: 'each argument must be a string' })
  .refine((s) => !s.includes('\0'), 'each argument must not contain a NUL byte')
  .refine(
    (s) => s.length < MAX_ARG_BYTES && execBytes(s) <= MAX_ARG_BYTES,
    `each argument must be under ${MAX_ARG_BYTES / 1024} KiB in UTF-8`,
  );

export const SignalSchema = z.enum(SIGNAL_NAMES, { error: 'signal must be a signal name such as SIGTERM' });

const ms = (what: string, max: number) =>
  z
    .number({ error: `${what} must be a number of milliseconds` })
    .int(`${what} must be a whole number of milliseconds`)
    .min(0, `${what} must not be negative`)
    .max(max, `${what} must be at most ${max} ms`);

export const ChildIdSchema = z
  .string({ error: 'id must be a string' })
  .min(1, 'id is required')
  .max(64, 'id is too long');
export const PidSchema = z
  .number({ error: 'pid must be a number' })
  .int('pid must be a whole number')
  .min(1, 'pid must be positive')
  .max(PID_MAX, 'pid is above the kernel limit');

export const RestartPolicySchema = z.strictObject({
  policy: z.enum(['never', 'on-failure', 'always'], {
    error: "policy must be 'never', 'on-failure' or 'always'",
  }),
  /** Fast failures in a row before the child goes `fatal`. */
  maxRetries: z.number().int().min(0).max(MAX_RETRIES_MAX),
  backoffMs: ms('backoffMs', BACKOFF_MAX_MS),
  maxBackoffMs: ms('maxBackoffMs', BACKOFF_MAX_MS),
  /** A run shorter than this counts as a fast failure (default 10 s). */
  minUptimeMs: ms('minUptimeMs', BACKOFF_MAX_MS).optional(),
  /** Exit codes that 'on-failure' takes as success (default [0]). */
  successExitCodes: z.array(z.number().int().min(0).max(255)).min(1).max(256).optional(),
});

export const ChildSpecSchema = z.strictObject({
  command: execString('command', 4096).pipe(z.string().trim().min(1, 'command is required')),
  args: z.array(execArgument, { error: 'args must be a list of strings' }).max(4096).default([]),
  cwd: execString('cwd', 4096).pipe(z.string().min(1, 'cwd must not be empty')).optional(),
  /** Merged over the parent's environment, or replacing it when `inheritEnv` is false. */
  env: z
    .record(
      execString('an environment name', 1024).refine((k) => k.length > 0 && !k.includes('='), {
        message: 'an environment name must be non-empty and must not contain "="',
      }),
      z
        .string({ error: 'an environment value must be a string' })
        .refine((s) => !s.includes('\0'), 'an environment value must not contain a NUL byte'),
    )
    .superRefine((env, context) => {
      // The kernel sees each variable as one string, NAME=value.
      for (const [name, value] of Object.entries(env)) {
        if (name.length + value.length < MAX_ARG_BYTES && execBytes(`${name}=${value}`) <= MAX_ARG_BYTES)
          continue;
        context.addIssue({
          code: 'custom',
          path: [name],
          message: `the environment variable ${name.slice(0, 64)} must be under ${MAX_ARG_BYTES / 1024} KiB in UTF-8, name included`,
        });
      }
    })
    .optional(),
  inheritEnv: z.boolean().optional(),
  /** Defaults to `Process-N`, like Python. */
  name: z.string().trim().min(1, 'name must not be empty').max(200, 'name is too long').optional(),
  daemon: z.boolean({ error: 'daemon must be true or false' }).optional(),
  restart: RestartPolicySchema.optional(),
  /** Time between SIGTERM and SIGKILL on terminate. */
  graceMs: ms('graceMs', GRACE_MS.max).optional(),
  /** What terminate sends first (default SIGTERM). */
  stopSignal: SignalSchema.optional(),
});

export const EmptySchema = z.strictObject({});

// --- Programs (issue 15) ---
export const ProgramNameSchema = z
  .string({ error: 'a program name must be a string' })
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/,
    'a program name is letters, digits, "_", "." or "-" (at most 63)',
  );
export const ProgramNamesSchema = z.strictObject({
  /** Programs or replicas (`name-i`); none named means all. */
  names: z.array(ProgramNameSchema).max(1000).optional(),
});
export const StackFileRequestSchema = z.strictObject({
  file: execString('file', 4096).pipe(z.string().min(1, 'file is required')),
});
export const KeepProgramSchema = z.strictObject({
  name: ProgramNameSchema,
  /** One program as the stack file writes it (`command`, `restart`, …); the whole file is validated before it is written. */
  program: z.record(z.string(), z.unknown(), { error: 'program must be an object of stack file keys' }),
});
export const ForgetProgramSchema = z.strictObject({ name: ProgramNameSchema });
export const ImportRequestSchema = StackFileRequestSchema.extend({
  /** Also write the result as proctor.yaml beside the file (never over an existing one). */
  write: z.boolean().default(false),
});
/** A stack file's text for the window; without `file`, the one in use. */
export const StackSourceSchema = z.strictObject({
  file: execString('file', 4096).pipe(z.string().min(1, 'file is required')).optional(),
});
export const StackValidateSchema = StackFileRequestSchema.extend({
  /** The text to check in place of the file's (an editor's unsaved buffer); `file` still names it. */
  text: z.string().max(4_000_000, 'the stack file is larger than 4 MB').optional(),
});

// --- Logs on disk, post-mortems, notifications (issue 17) ---

/** A program's name as its log directory is keyed: a child's name (a spec's, or `Process-N`). */
export const LogNameSchema = z
  .string({ error: 'name must be a string' })
  .min(1, 'name is required')
  .max(200, 'name is too long');
const LogPositionSchema = z
  .number({ error: 'a log position must be a number' })
  .int('a log position must be a whole number')
  .min(0, 'a log position must not be negative');

export const LogReadSchema = z.strictObject({
  name: LogNameSchema,
  /** First position; the last `limit` lines (the tail) when left out. */
  from: LogPositionSchema.optional(),
  limit: z.number().int().min(1).max(5000, 'limit must be at most 5000').default(500),
});

export const LogSearchSchema = z
  .strictObject({
    name: LogNameSchema,
    pattern: z.string({ error: 'pattern must be a string' }).min(1, 'pattern is required').max(1000),
    regex: z.boolean().default(false),
    caseSensitive: z.boolean().default(false),
    stream: z.enum(['stdout', 'stderr'], { error: "stream must be 'stdout' or 'stderr'" }).optional(),
    from: LogPositionSchema.optional(),
    limit: z.number().int().min(1).max(1000, 'limit must be at most 1000').default(100),
  })
  .superRefine((search, context) => {
    if (!search.regex) return;
    try {
      new RegExp(search.pattern, 'u');
    } catch (error) {
      context.addIssue({
        code: 'custom',
        path: ['pattern'],
        message: `pattern is not a valid regular expression: ${(error as Error).message}`,
      });
    }
  });

/** '' (no webhook) or an http(s) URL with a host; its errors name the field as the file spells it. */
export const webhookUrlSchema = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .max(2048, `${field} is longer than 2048 characters`)
    .refine((url) => url === '' || webhookUrlIsValid(url), {
      message: `${field} must be an http:// or https:// URL with a host, or empty for none`,
    });

function webhookUrlIsValid(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
}

export const QuitPolicySchema = z.enum(['ask', 'join', 'terminate']);

export const SettingsSchema = z.strictObject({
  intervalMs: z
    .number()
    .int()
    .min(INTERVAL_MS.min, `intervalMs must be at least ${INTERVAL_MS.min}`)
    .max(INTERVAL_MS.max, `intervalMs must be at most ${INTERVAL_MS.max}`),
  graceMs: ms('graceMs', GRACE_MS.max),
  quitPolicy: QuitPolicySchema,
  /** How long `join` waits on quit before terminating. */
  quitJoinMs: ms('quitJoinMs', QUIT_JOIN_MS.max),
  historyLength: z.number().int().min(HISTORY_LENGTH.min).max(HISTORY_LENGTH.max),
  hideOnClose: z.boolean(),
  language: z.enum(LANGUAGES),
  pythonPath: execString('pythonPath', 4096),
  /** Exited and failed children kept listed: the last N of each name, and in all; older ones are dropped. */
  keepExitedPerName: z
    .number()
    .int('keepExitedPerName must be a whole number')
    .min(KEEP_EXITED.min, `keepExitedPerName must be at least ${KEEP_EXITED.min}`)
    .max(KEEP_EXITED.max, `keepExitedPerName must be at most ${KEEP_EXITED.max}`),
  keepExitedTotal: z
    .number()
    .int('keepExitedTotal must be a whole number')
    .min(KEEP_EXITED.min, `keepExitedTotal must be at least ${KEEP_EXITED.min}`)
    .max(KEEP_EXITED.max, `keepExitedTotal must be at most ${KEEP_EXITED.max}`),
  /** Where crash notifications are POSTed; '' for none. */
  webhookUrl: webhookUrlSchema('webhookUrl'),
  /** Each kind of notification can be turned off: then neither the window, the desktop nor the webhook hear of it. */
  notifyCrash: z.boolean({ error: 'notifyCrash must be true or false' }),
  notifyFatal: z.boolean({ error: 'notifyFatal must be true or false' }),
  notifyBlocked: z.boolean({ error: 'notifyBlocked must be true or false' }),
  notifyUnhealthy: z.boolean({ error: 'notifyUnhealthy must be true or false' }),
  /** One log segment's size and how many are kept: a program's logs stay under their product. */
  logMaxBytes: z
    .number()
    .int()
    .min(LOG_MAX_BYTES.min, `logMaxBytes must be at least ${LOG_MAX_BYTES.min} (64 KiB)`)
    .max(LOG_MAX_BYTES.max, `logMaxBytes must be at most ${LOG_MAX_BYTES.max} (1 GiB)`),
  logMaxFiles: z
    .number()
    .int()
    .min(LOG_MAX_FILES.min, `logMaxFiles must be at least ${LOG_MAX_FILES.min}`)
    .max(LOG_MAX_FILES.max, `logMaxFiles must be at most ${LOG_MAX_FILES.max}`),
  /** The desktop app serves /metrics on 127.0.0.1 at this port; 0 for none. */
  metricsPort: z
    .number()
    .int('metricsPort must be a whole number')
    .min(0, 'metricsPort must be 0 (none) or a port 1..65535')
    .max(65_535, 'metricsPort must be 0 (none) or a port 1..65535'),
  /** The optional columns the tree shows (their readers run only while shown), in the tree's order. */
  columns: z.array(z.enum(OPTIONAL_COLUMNS)).max(OPTIONAL_COLUMNS.length),
  /** Views: hide kernel threads (htop's `K`), show only the user's own processes, or one user's. */
  hideKernelThreads: z.boolean(),
  onlyMine: z.boolean(),
  /** A user name whose processes alone show; '' for everyone's. */
  userFilter: z.string().max(256),
});

export const SettingsPatchSchema = SettingsSchema.partial();

const lessonId = z
  .string({ error: 'id must be a string' })
  .min(1, 'id is required')
  .max(64, 'id is too long');

/** Python source a learner sends: bounded in UTF-8 bytes, no NUL (a file Python would refuse anyway). */
export const LessonCodeSchema = z
  .string({ error: 'code must be a string' })
  .refine((s) => !s.includes('\0'), 'code must not contain a NUL byte')
  .refine(
    (s) => s.length <= LESSON_CODE_MAX_BYTES && new TextEncoder().encode(s).length <= LESSON_CODE_MAX_BYTES,
    `code must be at most ${LESSON_CODE_MAX_BYTES / 1024} KiB in UTF-8`,
  );

export const LessonRunSchema = z.strictObject({
  id: lessonId,
  /** Run this code instead of the lesson's own, and keep it as the lesson's edit. */
  code: LessonCodeSchema.optional(),
  /** The edited run's time limit (default EDITED_RUN_LIMIT_MS.default). */
  timeLimitMs: z
    .number({ error: 'timeLimitMs must be a number of milliseconds' })
    .int('timeLimitMs must be a whole number of milliseconds')
    .min(EDITED_RUN_LIMIT_MS.min, `timeLimitMs must be at least ${EDITED_RUN_LIMIT_MS.min} ms`)
    .max(EDITED_RUN_LIMIT_MS.max, `timeLimitMs must be at most ${EDITED_RUN_LIMIT_MS.max} ms`)
    .optional(),
});

export const LessonEditSchema = z.strictObject({ id: lessonId, code: LessonCodeSchema });
