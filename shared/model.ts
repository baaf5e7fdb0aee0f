// The data that crosses the contract: plain JSON, no classes, no Node or DOM types.
import type { z } from 'zod';
import type { ProctorError } from './errors';
import type { ChildSpecSchema, QuitPolicySchema, RestartPolicySchema, SettingsSchema } from './schemas';
import type { Language } from './words/languages';
import type { IoUnreadable, MpRole } from './columns';
import type { SystemTick } from './meters';

export type { Language };

/** supervisord's states, with Python's exitcode alongside. */
export type ChildState =
  'created' | 'starting' | 'running' | 'stopping' | 'exited' | 'failed' | 'backoff' | 'fatal';

/** The states in which a child's program is (or is about to be) running: Python's `is_alive()`. */
export const ALIVE_STATES: readonly ChildState[] = ['starting', 'running', 'stopping'];

export function isAliveState(state: ChildState): boolean {
  return ALIVE_STATES.includes(state);
}

// Where a request schema exists, the data type is what it parses to: one source for both.
export type RestartPolicy = z.output<typeof RestartPolicySchema>;
export type RestartPolicyName = RestartPolicy['policy'];
export type ChildSpec = z.output<typeof ChildSpecSchema>;

export interface StateChange {
  state: ChildState;
  at: number;
}

/** A supervised child as the window sees it. */
export interface ChildInfo {
  id: string;
  name: string;
  /** The real program's pid (never the guard's); null before start or after a failed spawn. */
  pid: number | null;
  /** The guard shim's pid, so the tree can fold it away. */
  guardPid: number | null;
  daemon: boolean;
  state: ChildState;
  /** null until exit; n for exit(n); -N when killed by signal N. */
  exitcode: number | null;
  error: ProctorError | null;
  spec: ChildSpec;
  startedAt: number | null;
  exitedAt: number | null;
  restarts: number;
  history: StateChange[];
  /** Output lines dropped from the bounded ring so far. */
  droppedLines: number;
  /** Why a `fatal` child was given up on; absent in any other state. */
  gaveUp?: GiveUp;
}

/** A restart policy giving up: `exits` fast exits in a row over `overMs`, more than it may retry. */
export interface GiveUp {
  exits: number;
  overMs: number;
  policy: RestartPolicyName;
  maxRetries: number;
}

export type OutputStream = 'stdout' | 'stderr';

export interface OutputLine {
  /** Per child, increasing; `children:output` pages by it. */
  seq: number;
  at: number;
  stream: OutputStream;
  text: string;
}

/** One row of the machine's process table, as a source reads it. */
export interface ProcessRow {
  pid: number;
  ppid: number;
  /** The kernel's short name (`comm`). */
  name: string;
  /** Full command line; empty for kernel threads. */
  cmd: string;
  /** The kernel's state letter: R S D Z T t I X. */
  state: string;
  threads: number;
  rssBytes: number;
  /** Per core, like top: 100 = one core busy. */
  cpuPct: number;
  uid: number;
  user: string;
  /** Epoch milliseconds. */
  startedAt: number;
  pgid: number;
  // The optional columns' figures (shared/columns.ts): present only while their column is shown or the
  // process is watched; null in a delta when one stops being read.
  /** Disk bytes a second, read and written; null before a second reading gives a rate. */
  ioReadPerSec?: number | null;
  ioWritePerSec?: number | null;
  /** Why its /proc files that only its owner may read (io, fds) gave no figure; null when they did. */
  unreadable?: IoUnreadable | null;
  /** Listening sockets as `proto:port` (`tcp:8000 udp6:53`), and how many other inet sockets it holds. */
  ports?: string | null;
  connections?: number | null;
  /** Busiest GPU engine's percent, and GPU memory in bytes, over every GPU client it holds. */
  gpuPct?: number | null;
  gpuMemBytes?: number | null;
  /** The container (`docker:3f2a1b9c0d4e`), else the systemd unit, scope or slice; `cgroupPath` in full. */
  cgroup?: string | null;
  cgroupPath?: string | null;
  nice?: number | null;
  priority?: number | null;
  mpRole?: MpRole | null;
}

export interface SupervisedMark {
  childId: string;
  name: string;
  daemon: boolean;
}

export interface ProcessMarks {
  /** Proctor started it. */
  supervised?: SupervisedMark;
  /** A member of a supervised family (descendant of a supervised child), not the child itself. */
  family?: string;
  /** The no-orphan guard shim between Proctor and a child; the UI folds it away. */
  guard?: boolean;
  zombie?: boolean;
  /** Re-parented after its parent died; `ghostPid` names the dead parent. */
  orphan?: { ghostPid: number };
}

export interface TreeRow extends ProcessRow {
  marks: ProcessMarks;
}

/** A supervised family member's dead parent, kept while its orphans live. */
export interface Ghost {
  pid: number;
  ppid: number;
  name: string;
  cmd: string;
  diedAt: number;
}

export interface MonitorStats {
  processCount: number;
  intervalMs: number;
  /** The monitor's own CPU use, percent of one core, over the last few ticks. */
  selfCpuPct: number;
  lastTickMs: number;
  paused: boolean;
}

/** What changed between two ticks. `changed` carries only the fields that changed, plus the pid. */
export interface TreeDelta {
  seq: number;
  at: number;
  added: TreeRow[];
  changed: Array<Partial<TreeRow> & { pid: number }>;
  removed: number[];
  ghosts: Ghost[];
  stats: MonitorStats;
  /** This tick's meters, packed (shared/meters.ts `unpackSample`); null where the platform has no reader for them. */
  system: SystemTick | null;
}

export interface TreeSnapshot {
  seq: number;
  at: number;
  rows: TreeRow[];
  ghosts: Ghost[];
  stats: MonitorStats;
  /** The meters with their history, so a window opened late draws whole graphs at once. */
  system: SystemMeters | null;
}

// --- System meters (issue 19): the machine's CPU, memory, load and tasks, read in the same tick as the table.

/** One core's (or all cores') time over the last tick, in percent of that core; the parts add up to 100. */
export interface CpuSplit {
  /** Normal-priority user time, guest time excluded (htop's green). */
  user: number;
  /** Niced user time (htop's blue). */
  nice: number;
  /** Kernel time (red). */
  system: number;
  irq: number;
  softirq: number;
  /** Taken by the hypervisor for other guests. */
  steal: number;
  /** Running a virtual machine's vCPU. */
  guest: number;
  /** Idle while a disk request was pending (htop's grey). */
  iowait: number;
  idle: number;
}

/** Memory as `free` counts it (procps 4: used = total − available). */
export interface MemoryMeter {
  totalBytes: number;
  usedBytes: number;
  freeBytes: number;
  buffersBytes: number;
  /** Page cache plus reclaimable slab, like free's "cache". */
  cachedBytes: number;
  availableBytes: number;
  sharedBytes: number;
  swapTotalBytes: number;
  swapUsedBytes: number;
  /** Swapped out and back in, still held in swap too. */
  swapCachedBytes: number;
}

export interface TaskCounts {
  processes: number;
  threads: number;
  kernelThreads: number;
  /** Processes in state R. */
  running: number;
}

export interface SystemSample {
  at: number;
  /** All cores together. */
  cpu: CpuSplit;
  cores: CpuSplit[];
  memory: MemoryMeter;
  /** 1, 5 and 15 minutes. */
  load: [number, number, number];
  uptimeSec: number;
  tasks: TaskCounts;
}

/** Each meter's recent values, oldest first, one a tick (btop's small graphs). */
export interface SystemHistory {
  /** Busy percent (100 − idle − iowait) of all cores. */
  cpuPct: number[];
  /** Busy percent of each core. */
  corePct: number[][];
  memUsedPct: number[];
  swapUsedPct: number[];
  load1: number[];
}

export interface SystemMeters {
  now: SystemSample;
  history: SystemHistory;
}

export interface ProcessHistory {
  pid: number;
  intervalMs: number;
  cpuPct: number[];
  rssBytes: number[];
}

export type QuitPolicy = z.output<typeof QuitPolicySchema>;
export type Settings = z.output<typeof SettingsSchema>;

/** An exited child dropped without being asked to: the oldest beyond one of the keepExited caps. */
export interface PrunedChild {
  id: string;
  name: string;
  /** The cap it went over: the last `keep` of its name, or in all. */
  keep: number;
  scope: 'name' | 'all';
}

export type StopPhase = 'sigterm' | 'grace' | 'sigkill' | 'exited';

export interface StopTimelineEvent {
  id: string;
  phase: StopPhase;
  at: number;
  /**
   * For `sigterm`: when SIGKILL is due if the child is still there. `grace` is emitted only when that
   * time came with the child still running, right before its SIGKILL. For `exited`: the exitcode.
   */
  deadline?: number;
  exitcode?: number | null;
}

/** What a terminate of `pid` would hit, shown before the user confirms. */
export interface StopPreviewEntry {
  pid: number;
  ppid: number;
  name: string;
  cmd: string;
  /** In the target's process group: a group signal reaches it. */
  inGroup: boolean;
  /** A descendant that left the group (setsid / setpgid): a group signal misses it. */
  detached: boolean;
  supervised: boolean;
  daemon: boolean;
}

export interface StopPreview {
  pid: number;
  pgid: number;
  /** Whether Proctor would signal the whole group (supervised children) or the single pid. */
  signalsGroup: boolean;
  /** What the signal reaches: the target first. */
  entries: StopPreviewEntry[];
  /** Descendants the signal misses: all of them for a single pid, the detached ones for a group. */
  missed: StopPreviewEntry[];
}

export interface ProcessDetail {
  pid: number;
  cmd: string;
  /** null when the kernel does not let us read it (another user's process). */
  cwd: string | null;
  /** Only for supervised children: the environment Proctor gave them. */
  env: Record<string, string> | null;
}

export interface LessonText {
  title: string;
  /** What the code does. */
  does: string;
  /** What to watch in the tree. */
  watch: string;
  /** What the check proves. */
  proves: string;
}

export interface LessonSummary {
  id: string;
  number: number;
  text: Record<Language, LessonText>;
}

export interface Lesson extends LessonSummary {
  /** The lesson's own code, as shipped. */
  code: string;
  /** The learner's edit, kept in their state dir; null when they run the original. */
  edited: string | null;
  /** null for the learner's own script. */
  tryThis: TryThis | null;
}

/** A suggested change and the check whose outcome the learner predicts before running it. */
export interface TryThis {
  text: Record<Language, { change: string; predict: string }>;
  /** The label of the check the prediction is about, as the run's checks carry it. */
  check: Record<Language, string>;
}

/** Where Python refused the code before it ran: a line and column of the code as sent (1-based). */
export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

export interface PythonStatus {
  found: boolean;
  path: string | null;
  version: string | null;
  /** How to install Python or point Proctor at one, when not found. */
  hint: string | null;
}

export interface LessonCheck {
  /** In every language, so a run's checks follow a language switch made after it ended. */
  label: Record<Language, string>;
  passed: boolean;
  /** The values actually seen, in words, in every language like the label. */
  observed: Record<Language, string>;
}

export interface LessonRun {
  runId: string;
  lessonId: string;
  childId: string | null;
  state: 'running' | 'passed' | 'failed';
  startedAt: number;
  durationMs: number | null;
  checks: LessonCheck[];
  /** The learner's code ran, not the lesson's own (always so for their own script). */
  edited: boolean;
  /** Python refused the code: nothing ran. */
  syntaxError?: SyntaxProblem;
  /** Stopped at this time limit (ms) while still running. */
  timedOut?: number;
}

export type FamilyEdgeKind = 'parent' | 'pipe' | 'socket';

export interface FamilyEdge {
  from: number;
  to: number;
  kind: FamilyEdgeKind;
  /** pipe/socket inode, e.g. `pipe:[1234]`. */
  label?: string;
  /** For pipes: data flows from `from` (writer) to `to` (reader) when fdinfo tells it. */
  directed?: boolean;
}

export interface FamilyNode {
  pid: number;
  ppid: number;
  name: string;
  cmd: string;
  state: string;
  ghost?: boolean;
}

/**
 * What a multiprocessing object is, told from what the kernel shows of it: a POSIX semaphore
 * (`/dev/shm/sem.*`) is a Lock, RLock, Semaphore, Event or Condition; a `pym-*` arena holds Values and
 * Arrays; `psm_*` is a shared_memory block; a pipe every holder has both ends of, with semaphores held
 * by the same processes, is a Queue. `other`: a shared mapping of another kind, shown by its raw name.
 */
export type SharedObjectKind = 'lock' | 'value' | 'shared-memory' | 'queue' | 'other';

export interface SharedObject {
  /** `shm:<dev>:<inode>` for a mapping, `queue:<pipe inode>` for a Queue. */
  id: string;
  kind: SharedObjectKind;
  /** The raw name: `/dev/shm/sem.mp-…`, `/dev/shm/pym-…`, `pipe:[…]`. */
  name: string;
  /** The family members that map it (or, for a Queue, hold its pipe), ascending. */
  holders: number[];
  /** A Queue's semaphores (their raw names). */
  parts?: string[];
}

export interface FamilyGraph {
  childId: string;
  nodes: FamilyNode[];
  edges: FamilyEdge[];
  /** Objects shared by two or more members. */
  objects: SharedObject[];
  /** multiprocessing's part of each member that has one (main, fork-child, forkserver…), by pid. */
  roles: Record<number, MpRole>;
}

/** Something failed where the user is affected (the tree stopped updating…): the status bar shows it. */
export interface Problem {
  area: 'monitor';
  message: string;
  at: number;
}

/** Why the guard is weak: another OS than Linux, a given path that is no program, or a guard never built. */
export type GuardWeakness = 'platform' | 'missing' | 'notBuilt';

export interface AppInfo {
  name: string;
  version: string;
  /** The backend's own pid: supervised children hang under it in the tree (their guards folded away). */
  pid: number;
  platform: string;
  /** The machine the backend runs on, so a window watching several says plainly which one it shows. */
  hostname: string;
  transport: 'ipc' | 'websocket';
  /** `why` names a weak guard's cause for the window's words; `reason` is the same in English, for logs. */
  guard: { kind: 'shim' | 'weak'; reason?: string; why?: GuardWeakness };
  /** What was wrong with the settings file at start; null when it was fine (or absent). */
  settingsReport: SettingsReport | null;
}

/** One field of the settings file that was not used: its value, or the whole file, is ignored. */
export interface SettingsProblem {
  /** `invalid`: a known field with a bad value; `unknown`: a field Proctor does not know; `unreadable`: the file. */
  kind: 'invalid' | 'unknown' | 'unreadable';
  /** The field's name; null for the whole file. */
  field: string | null;
  /** The value as the file spells it (JSON, shortened). */
  value?: string;
  /** The value used instead, as JSON, for an invalid field. */
  used?: string;
  /** Why, in English, for the log and the tooltip. */
  detail: string;
}

export interface SettingsReport {
  file: string;
  problems: SettingsProblem[];
  /** Where the file as the user had it is kept, once a save has replaced it. */
  keptAs: string | null;
}

// --- Programs: a declared stack (issue 15) ---

/** A program's (or one replica's) state: a child's, plus the states of a program that has no run yet. */
export type ProgramState =
  Exclude<ChildState, 'created'> | 'healthy' | 'waiting' | 'blocked' | 'stopped' | 'disabled';

export type ProgramCondition = 'started' | 'healthy' | 'log_ready' | 'completed' | 'completed_successfully';

/**
 * Why a program is where it is, as a code with parameters (so each language words it) and its English
 * words (`text`) for the command line and logs.
 */
export type ProgramReason =
  | { code: 'waiting_for'; params: { dependency: string; condition: ProgramCondition }; text: string }
  | { code: 'dependency_disabled'; params: { dependency: string }; text: string }
  | { code: 'dependency_blocked'; params: { dependency: string }; text: string }
  | {
      code: 'dependency_ended';
      params: { dependency: string; condition: ProgramCondition; exitcode: number | null };
      text: string;
    }
  | { code: 'liveness_failed'; params: { failures: number; detail: string }; text: string }
  | { code: 'rss_limit'; params: { rssMb: number; limitMb: number; ticks: number }; text: string };

export type ProbeRole = 'readiness' | 'liveness';

export interface ProbeResult {
  ok: boolean;
  /** When the check began (a log line: when it matched). */
  at: number;
  /** What the check saw: `HTTP 503`, `exit 1`, `ECONNREFUSED`, `timed out after 1000 ms`. */
  detail: string;
}

/** One program, or one replica of it (`name-i`), as `programs:list` and `program:state` carry it. */
export interface ProgramInfo {
  name: string;
  program: string;
  replica: number;
  state: ProgramState;
  reason: ProgramReason | null;
  /** The supervised child that runs it, once it has started. */
  childId: string | null;
  pid: number | null;
  exitcode: number | null;
  restarts: number;
  startedAt: number | null;
  exitedAt: number | null;
  dependsOn: Array<{ name: string; condition: ProgramCondition }>;
  /** The last results of each probe, newest last. */
  probes: Partial<Record<ProbeRole, ProbeResult[]>>;
}

/** One reason a stack file is refused, with where it is when it has a place. */
export interface StackProblem {
  file: string;
  line: number | null;
  col: number | null;
  code:
    | 'read'
    | 'yaml'
    | 'duplicate_key'
    | 'schema'
    | 'env_file'
    | 'unknown_dependency'
    | 'cycle'
    | 'duplicate_name'
    | 'condition_unmeetable';
  params: Record<string, string | number>;
  message: string;
}

/** What `programs:load` and `programs:reload` answer: the file, what moved, and every program now. */
export interface StackLoaded {
  file: string;
  added: string[];
  removed: string[];
  changed: string[];
  programs: ProgramInfo[];
}

/** A stack file's text; `file` null when no stack file is in use, `text` null when it cannot be read. */
export interface StackSource {
  file: string | null;
  text: string | null;
}

export type ImportFormat = 'process-compose' | 'procfile' | 'pm2' | 'supervisord';

/** A key of another tool's file that the import could not carry over, and why. */
export interface ImportNote {
  /** null for a key outside any program. */
  program: string | null;
  key: string;
  message: string;
}

/** Another tool's file as a stack file: its YAML, what was left out, and where it was written if asked. */
export interface ImportResult {
  format: ImportFormat;
  yaml: string;
  notes: ImportNote[];
  written: string | null;
}

// --- Logs on disk and post-mortems (issue 17) ---

/** A line of a program's log on disk; `note` lines are Proctor's own (lines dropped, a file deleted). */
export interface LogLine {
  /** Position in the program's whole on-disk history, from 0; it never changes once written. */
  pos: number;
  at: number;
  /** The child's own output seq at the time (it starts over with each backend run). */
  seq: number;
  stream: OutputStream | 'note';
  text: string;
}

export interface LogPage {
  lines: LogLine[];
  /** The oldest position still on disk. */
  first: number;
  /** One past the newest position on disk. */
  end: number;
  /**
   * The log on disk is not being written (a warning says why): these are the child's lines kept in
   * memory, positioned by their seq (from 0), which starts over with each backend run.
   */
  inMemory?: true;
}

export interface LogSearchResult {
  matches: LogLine[];
  /** Where to continue the search from, or null when the end of the log was reached. */
  next: number | null;
}

export interface LogProgram {
  name: string;
  /** Bytes on disk of the log files (rotated ones included). */
  bytes: number;
  files: number;
  /** Lines that did not reach the disk in this backend run (it was slower than the child, full or unwritable). */
  dropped: number;
}

export type LogWarningKind = 'unwritable' | 'full' | 'deleted' | 'write' | 'webhook' | 'recovered';

/** A fault of the logs or notifications, in words, for the window and the status bar. */
export interface LogWarning {
  program: string;
  kind: LogWarningKind;
  message: string;
  at: number;
  /** The system's error code of a disk fault (EACCES, EROFS, ENOSPC, …), for the words of why. */
  code?: string;
}

export type PostMortemOutcome = 'restarting' | 'fatal' | 'stopped';

export interface PostMortemSummary {
  id: string;
  program: string;
  childId: string;
  at: number;
  exitcode: number | null;
  /** The exit in words: `exit code 3`, `-11 SIGSEGV: segmentation fault`. */
  reason: string;
  outcome: PostMortemOutcome;
  restarts: number;
}

export interface PostMortemProcess {
  pid: number;
  ppid: number;
  name: string;
  cmd: string;
  cpuPct: number;
  rssBytes: number;
}

/** The family's summed CPU% and RSS, oldest sample first, one per monitor tick. */
export interface PostMortemCurve {
  intervalMs: number;
  cpuPct: number[];
  rssBytes: number[];
}

export interface PostMortem extends PostMortemSummary {
  command: string;
  args: string[];
  lines: OutputLine[];
  family: PostMortemProcess[];
  curve: PostMortemCurve;
}

export type NotificationKind = 'crash' | 'fatal' | 'blocked' | 'unhealthy';

/** What the window, the desktop and a webhook are told; a `summary` counts what a burst held back. */
export interface Notification {
  kind: NotificationKind | 'summary';
  program: string;
  /** One sentence, in English (the window words its own from the fields). */
  message: string;
  at: number;
  exitcode?: number | null;
  reason?: string;
  restarts?: number;
  postmortemId?: string;
  /** For a summary: the events held back, by kind, and the span they came in. */
  held?: { count: number; kinds: Partial<Record<NotificationKind, number>>; since: number; until: number };
}

/** The lesson slot for the learner's own Python script: run like a lesson, with no checks. */
export const OWN_SCRIPT_ID = 'own-script';
