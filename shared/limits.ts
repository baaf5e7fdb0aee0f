// Every bound and default, once: the request schemas, the settings store, the supervisor and the monitor
// read them here. It lives in shared/, not electron/core/, because the schemas that enforce these
// bounds are in shared/ (which may import nothing of ours), and the window's forms show them too.

/** The monitor's sampling interval. Its minimum is also what a lesson leases: dense enough for short lives. */
export const INTERVAL_MS = { min: 250, max: 10_000, default: 1000 } as const;
/** CPU and RSS samples kept per process. */
export const HISTORY_LENGTH = { min: 10, max: 3600, default: 120 } as const;
/** Time between SIGTERM and SIGKILL when a child is terminated. */
export const GRACE_MS = { max: 600_000, default: 5000 } as const;
/** How long quitting with the `join` policy waits for non-daemon children before terminating them. */
export const QUIT_JOIN_MS = { max: 600_000, default: 10_000 } as const;
/** The longest `children:join` a client may ask for. */
export const JOIN_TIMEOUT_MAX_MS = 3_600_000;
/** The longest restart backoff a spec may ask for. */
export const BACKOFF_MAX_MS = 3_600_000;
/** Fast failures in a row a restart policy may allow before the child goes `fatal`. */
export const MAX_RETRIES_MAX = 1000;
/** The most output lines one `children:output` page returns. */
export const OUTPUT_PAGE_MAX_LINES = 10_000;
/** Linux's PID_MAX_LIMIT: no pid is larger. */
export const PID_MAX = 4_194_304;
/**
 * The kernel's limit on one string of execve's argv or envp (MAX_ARG_STRLEN, 32 pages), counted in
 * bytes with its terminating NUL: past it execve fails with E2BIG.
 */
export const MAX_ARG_BYTES = 128 * 1024;
/** Exited and failed children kept listed: the last `perName` of each name and `total` in all. */
export const KEEP_EXITED = { min: 1, max: 10_000, perName: 20, total: 200 } as const;
/** One log segment's size, and how many segments a program keeps (so its logs stay under their product). */
export const LOG_MAX_BYTES = { min: 64 * 1024, max: 1024 ** 3, default: 10 * 1024 * 1024 } as const;
export const LOG_MAX_FILES = { min: 2, max: 100, default: 5 } as const;
/** An edited lesson or the learner's own script: bytes of Python a request may carry. */
export const LESSON_CODE_MAX_BYTES = 256 * 1024;
/** An edited run (or the learner's own script) is stopped and fails when it runs longer than this. */
export const EDITED_RUN_LIMIT_MS = { min: 1000, max: 600_000, default: 60_000 } as const;
