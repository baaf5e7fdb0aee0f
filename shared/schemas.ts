// Request schemas: every payload that enters the backend is parsed with one of these first.
import { z } from 'zod';

/** Strings that reach execve: a NUL byte would be cut there silently, so refuse it here. */
const execString = (what: string, max = 65_536) =>
  z
    .string({ error: `${what} must be a string` })
    .max(max, `${what} is longer than ${max} characters`)
    .refine((s) => !s.includes('\0'), `${what} must not contain a NUL byte`);

export const SIGNALS = [
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGKILL',
  'SIGUSR1',
  'SIGSEGV',
  'SIGUSR2',
  'SIGPIPE',
  'SIGALRM',
  'SIGTERM',
  'SIGCHLD',
  'SIGCONT',
  'SIGSTOP',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGURG',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGVTALRM',
  'SIGPROF',
  'SIGWINCH',
  'SIGIO',
  'SIGPWR',
  'SIGSYS',
] as const;
export const SignalSchema = z.enum(SIGNALS, { error: 'signal must be a signal name such as SIGTERM' });
export type SignalName = z.infer<typeof SignalSchema>;

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
  .max(4_194_304, 'pid is above the kernel limit');

export const RestartPolicySchema = z.strictObject({
  policy: z.enum(['never', 'on-failure', 'always'], {
    error: "policy must be 'never', 'on-failure' or 'always'",
  }),
  maxRetries: z.number().int().min(0).max(1000),
  backoffMs: ms('backoffMs', 3_600_000),
  maxBackoffMs: ms('maxBackoffMs', 3_600_000),
});

export const ChildSpecSchema = z.strictObject({
  command: execString('command', 4096).pipe(z.string().trim().min(1, 'command is required')),
  args: z
    .array(execString('each argument'), { error: 'args must be a list of strings' })
    .max(4096)
    .default([]),
  cwd: execString('cwd', 4096).pipe(z.string().min(1, 'cwd must not be empty')).optional(),
  env: z
    .record(
      execString('an environment name', 1024).refine((k) => k.length > 0 && !k.includes('='), {
        message: 'an environment name must be non-empty and must not contain "="',
      }),
      execString('an environment value'),
    )
    .optional(),
  inheritEnv: z.boolean().optional(),
  name: z.string().trim().min(1, 'name must not be empty').max(200, 'name is too long').optional(),
  daemon: z.boolean({ error: 'daemon must be true or false' }).optional(),
  restart: RestartPolicySchema.optional(),
  graceMs: ms('graceMs', 600_000).optional(),
});

export const EmptySchema = z.strictObject({});

export const SettingsPatchSchema = z
  .strictObject({
    intervalMs: z
      .number()
      .int()
      .min(250, 'intervalMs must be at least 250')
      .max(10_000, 'intervalMs must be at most 10000'),
    graceMs: ms('graceMs', 600_000),
    quitPolicy: z.enum(['ask', 'join', 'terminate']),
    quitJoinMs: ms('quitJoinMs', 600_000),
    historyLength: z.number().int().min(10).max(3600),
    hideOnClose: z.boolean(),
    language: z.enum(['en', 'zh-CN']),
    pythonPath: execString('pythonPath', 4096),
  })
  .partial();
