// The one signal table: name ↔ number, in Linux's numbering, which the contract's exitcode speaks
// (−N: killed by signal N). The request schema, the supervisor and the window all read it here.
export const SIGNAL_NUMBERS = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGTSTP: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGURG: 23,
  SIGXCPU: 24,
  SIGXFSZ: 25,
  SIGVTALRM: 26,
  SIGPROF: 27,
  SIGWINCH: 28,
  SIGIO: 29,
  SIGPWR: 30,
  SIGSYS: 31,
} as const;

export type SignalName = keyof typeof SIGNAL_NUMBERS;

/** Every name, in the kernel's order: the choices the window offers. */
export const SIGNAL_NAMES = Object.keys(SIGNAL_NUMBERS) as [SignalName, ...SignalName[]];

const NAME_OF = new Map<number, SignalName>(SIGNAL_NAMES.map((name) => [SIGNAL_NUMBERS[name], name]));

/** `SIGTERM` for 15; undefined for a number the table does not name. */
export function signalNameOf(signal: number): SignalName | undefined {
  return NAME_OF.get(signal);
}

/** 15 for `SIGTERM`; undefined for a name the table does not list (Node knows a few more aliases). */
export function signalNumberOf(name: string): number | undefined {
  return Object.hasOwn(SIGNAL_NUMBERS, name) ? SIGNAL_NUMBERS[name as SignalName] : undefined;
}
