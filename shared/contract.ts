// The single source of truth for everything that crosses a transport: commands with their request
// schemas and response types, and events with their payload types. Main, preload, the headless server
// and the renderer's client are all generated from these two tables.
import { z } from 'zod';
import type {
  AppInfo,
  ChildInfo,
  FamilyGraph,
  ImportResult,
  Lesson,
  LessonRun,
  LessonSummary,
  LogPage,
  LogProgram,
  LogSearchResult,
  LogWarning,
  MonitorStats,
  Notification,
  OutputLine,
  PostMortem,
  PostMortemSummary,
  ProcessDetail,
  ProcessHistory,
  Problem,
  PrunedChild,
  ProgramInfo,
  PythonStatus,
  Settings,
  StackLoaded,
  StackProblem,
  StackSource,
  StopPreview,
  StopTimelineEvent,
  TreeDelta,
  TreeSnapshot,
} from './model';
import type { ProctorError } from './errors';
import { GRACE_MS, JOIN_TIMEOUT_MAX_MS, OUTPUT_PAGE_MAX_LINES } from './limits';
import {
  ChildIdSchema,
  ChildSpecSchema,
  EmptySchema,
  ForgetProgramSchema,
  ImportRequestSchema,
  KeepProgramSchema,
  LessonEditSchema,
  LessonRunSchema,
  PidSchema,
  ProgramNamesSchema,
  LogNameSchema,
  LogReadSchema,
  LogSearchSchema,
  SettingsPatchSchema,
  SignalSchema,
  StackFileRequestSchema,
  StackSourceSchema,
  StackValidateSchema,
} from './schemas';

/** Responses come from our own backend, so they are typed, not re-parsed: `z.custom` carries the type only. */
const returns = <T>() => z.custom<T>();
const command = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({
  request,
  response,
});

const byId = z.strictObject({ id: ChildIdSchema });
const byPid = z.strictObject({ pid: PidSchema });

export const commands = {
  'app:info': command(EmptySchema, returns<AppInfo>()),
  'children:start': command(ChildSpecSchema, returns<ChildInfo>()),
  'children:list': command(EmptySchema, returns<ChildInfo[]>()),
  /** Terminates every live child (the tray's "Terminate all"); answers them once they have exited. */
  'children:terminateAll': command(EmptySchema, returns<ChildInfo[]>()),
  'children:terminate': command(
    z.strictObject({ id: ChildIdSchema, graceMs: z.number().int().min(0).max(GRACE_MS.max).optional() }),
    returns<ChildInfo>(),
  ),
  'children:kill': command(byId, returns<ChildInfo>()),
  'children:join': command(
    z.strictObject({
      id: ChildIdSchema,
      timeoutMs: z.number().int().min(0).max(JOIN_TIMEOUT_MAX_MS).optional(),
    }),
    returns<{ exitcode: number | null }>(),
  ),
  'children:restart': command(byId, returns<ChildInfo>()),
  'children:remove': command(byId, returns<{ id: string }>()),
  'children:output': command(
    z.strictObject({
      id: ChildIdSchema,
      since: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(OUTPUT_PAGE_MAX_LINES).optional(),
    }),
    returns<{ lines: OutputLine[]; dropped: number }>(),
  ),
  'processes:snapshot': command(EmptySchema, returns<TreeSnapshot>()),
  'processes:history': command(byPid, returns<ProcessHistory | null>()),
  'processes:detail': command(byPid, returns<ProcessDetail>()),
  'processes:signal': command(
    z.strictObject({ pid: PidSchema, signal: SignalSchema }),
    returns<{ pid: number }>(),
  ),
  'processes:stopPreview': command(byPid, returns<StopPreview>()),
  /** Sets a process's nice value (-20..19); lowering it needs root, another user's process too. */
  'processes:renice': command(
    z.strictObject({ pid: PidSchema, nice: z.number().int().min(-20).max(19) }),
    returns<{ pid: number; nice: number }>(),
  ),
  'monitor:setPaused': command(z.strictObject({ paused: z.boolean() }), returns<MonitorStats>()),
  'monitor:stats': command(EmptySchema, returns<MonitorStats>()),
  /** The process whose optional figures are read whatever the columns shown (the selection); null for none. */
  'monitor:watch': command(z.strictObject({ pid: PidSchema.nullable() }), returns<null>()),
  'settings:get': command(EmptySchema, returns<Settings>()),
  'settings:set': command(SettingsPatchSchema, returns<Settings>()),
  'lessons:list': command(EmptySchema, returns<{ python: PythonStatus; lessons: LessonSummary[] }>()),
  'lessons:get': command(byId, returns<Lesson>()),
  /** Runs the lesson's own code, or `code` (kept as its edit) under a time limit; `own-script` needs code or a kept one. */
  'lessons:run': command(LessonRunSchema, returns<LessonRun>()),
  /** Keeps the learner's edit of a lesson (or their own script) in their state dir; the original's text removes it. */
  'lessons:saveEdit': command(LessonEditSchema, returns<Lesson>()),
  /** Forgets the edit: the lesson's own code again. */
  'lessons:restore': command(z.strictObject({ id: LessonEditSchema.shape.id }), returns<Lesson>()),
  'family:graph': command(byId, returns<FamilyGraph>()),
  // Programs (issue 15): a stack file loaded, validated, reloaded as a diff; its programs listed, started, stopped.
  'programs:load': command(StackFileRequestSchema, returns<StackLoaded>()),
  'programs:reload': command(EmptySchema, returns<StackLoaded>()),
  'programs:validate': command(StackValidateSchema, returns<{ problems: StackProblem[] }>()),
  'programs:list': command(EmptySchema, returns<ProgramInfo[]>()),
  /** The stack file in use (or the one named) and its text, so the window shows problems at their line. */
  'programs:source': command(StackSourceSchema, returns<StackSource>()),
  'programs:start': command(ProgramNamesSchema, returns<ProgramInfo[]>()),
  'programs:stop': command(ProgramNamesSchema, returns<ProgramInfo[]>()),
  'programs:restart': command(ProgramNamesSchema, returns<ProgramInfo[]>()),
  /** Adds or edits one program in the open stack file (else the kept programs file), comments kept, then reloads it. */
  'programs:keep': command(KeepProgramSchema, returns<StackLoaded>()),
  'programs:forget': command(ForgetProgramSchema, returns<StackLoaded>()),
  /** Reads a process-compose, Procfile, pm2 or supervisord file as a stack file, saying what it left out. */
  'programs:import': command(ImportRequestSchema, returns<ImportResult>()),
  // Logs on disk by program name, paged by position; post-mortems kept with them.
  'logs:list': command(EmptySchema, returns<LogProgram[]>()),
  'logs:read': command(LogReadSchema, returns<LogPage>()),
  'logs:search': command(LogSearchSchema, returns<LogSearchResult>()),
  'postmortems:list': command(
    z.strictObject({ name: LogNameSchema.optional() }),
    returns<PostMortemSummary[]>(),
  ),
  'postmortems:get': command(
    z.strictObject({ name: LogNameSchema, id: z.string().min(1).max(100) }),
    returns<PostMortem>(),
  ),
} as const;

export const events = {
  'processes:delta': returns<TreeDelta>(),
  'child:state': returns<ChildInfo>(),
  'child:output': returns<{ id: string; lines: OutputLine[] }>(),
  'child:stopTimeline': returns<StopTimelineEvent>(),
  /** Removed by any client (or a lesson's re-run), so every window drops it. */
  'child:removed': returns<{ id: string }>(),
  /** An exited child dropped as the oldest beyond a cap of the settings (`keepExited*`); `child:removed` follows. */
  'child:pruned': returns<PrunedChild>(),
  /** After any client changed them, so every window (and Electron's tray) follows, the language above all. */
  'settings:changed': returns<Settings>(),
  'lesson:run': returns<LessonRun>(),
  /** Logged, and shown in the status bar: a failure the user would otherwise never hear of. */
  'app:problem': returns<Problem>(),
  'program:state': returns<ProgramInfo>(),
  /** A load or reload took this program (every replica whose `program` it is) out of the stack. */
  'program:removed': returns<{ name: string }>(),
  /** A log that cannot be written, a deleted log file, a webhook not reached: words for the status bar. */
  'logs:warning': returns<LogWarning>(),
  'postmortem:new': returns<PostMortemSummary>(),
  /** A crash, fatal… worth telling (rate-limited: a burst is one notification and a summary). */
  notification: returns<Notification>(),
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type EventName = keyof typeof events;
/** What a caller sends (defaults may be left out). */
export type RequestOf<C extends CommandName> = z.input<Commands[C]['request']>;
/** What the service receives, after parsing and defaults. */
export type ParsedRequestOf<C extends CommandName> = z.output<Commands[C]['request']>;
export type ResponseOf<C extends CommandName> = z.output<Commands[C]['response']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ProctorError };

export const commandNames = Object.keys(commands) as CommandName[];
export const eventNames = Object.keys(events) as EventName[];

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commands, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/** A plain key as is; an index as its number; anything else (empty, dotted, odd) quoted, so a path is never blank. */
function pathSegment(segment: PropertyKey): string {
  if (typeof segment === 'number') return String(segment);
  const key = String(segment);
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

/** Parses a request at the boundary; a bad one becomes E_INVALID with the path of the first bad field. */
export function parseRequest<C extends CommandName>(name: C, payload: unknown): Result<ParsedRequestOf<C>> {
  const parsed = commands[name].request.safeParse(payload ?? {});
  if (parsed.success) return { ok: true, value: parsed.data as ParsedRequestOf<C> };
  const issue = parsed.error.issues[0];
  // An unknown key is reported on its parent; name the key itself so the user sees which one.
  const segments = issue
    ? [...issue.path, ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])]
    : [];
  const path = segments.length > 0 ? segments.map(pathSegment).join('.') : '(request)';
  const message = issue ? `${path}: ${issue.message}` : 'the request is not valid';
  return { ok: false, error: { code: 'E_INVALID', path, message } };
}

/**
 * The backend's port: typed invoke (the response type follows the command's name) and events. Every
 * transport takes one (Electron IPC, the headless WebSocket, a future socket client), and
 * `ProctorService` implements it in process.
 */
export interface Backend {
  invoke<C extends CommandName>(name: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The one client interface the renderer uses, whatever carries it: the same port as the backend's. */
export type ProctorApi = Backend;

export function noSuchCommand(name: unknown): Result<never> {
  return {
    ok: false,
    error: {
      code: 'E_NO_SUCH_CHANNEL',
      message: `there is no command named ${JSON.stringify(String(name)).slice(0, 80)}`,
    },
  };
}

/**
 * A result as it came off a transport, typed by the command it answers. Responses come from our own
 * backend (see `returns`), so their type is trusted here, once, rather than re-parsed by every client.
 */
export function resultOf<C extends CommandName>(_name: C, result: Result<unknown>): Result<ResponseOf<C>> {
  return result as Result<ResponseOf<C>>;
}

/** An event's payload as it came off a transport, typed by its name (trusted like `resultOf`). */
export function payloadOf<E extends EventName>(_name: E, payload: unknown): EventPayload<E> {
  return payload as EventPayload<E>;
}

/** A transport's call with what came off the wire: any name, any payload, answered as a `Result`. */
export function invokeFromWire(backend: Backend, name: unknown, payload: unknown): Promise<Result<unknown>> {
  if (!isCommandName(name)) return Promise.resolve(noSuchCommand(name));
  // The backend parses every request with its schema before it is used, so the wire's unknown
  // payload may stand for the request type here.
  return backend.invoke(name, payload as RequestOf<typeof name>);
}

/** Every event with its payload, for typed listener registries. */
export type EventMap = { [E in EventName]: EventPayload<E> };
