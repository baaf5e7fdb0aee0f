// An exitcode in words, as a post-mortem and a notification say it: `-11 SIGSEGV: segmentation fault`.
// A small table of its own until the shared signal table (issue 14) lands; then this uses that one.
import { constants } from 'node:os';

const SIGNAL_WORDS: Readonly<Record<string, string>> = {
  SIGHUP: 'hangup',
  SIGINT: 'interrupt',
  SIGQUIT: 'quit',
  SIGILL: 'illegal instruction',
  SIGTRAP: 'trace or breakpoint trap',
  SIGABRT: 'aborted',
  SIGBUS: 'bus error',
  SIGFPE: 'floating-point exception',
  SIGKILL: 'killed',
  SIGUSR1: 'user signal 1',
  SIGSEGV: 'segmentation fault',
  SIGUSR2: 'user signal 2',
  SIGPIPE: 'broken pipe',
  SIGALRM: 'alarm clock',
  SIGTERM: 'terminated',
  SIGXCPU: 'CPU time limit exceeded',
  SIGXFSZ: 'file size limit exceeded',
  SIGSYS: 'bad system call',
};

const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, number]) => [number, name]));

export function exitWords(exitcode: number | null): string {
  if (exitcode === null) return 'no exit status';
  if (exitcode >= 0) return `exit code ${exitcode}`;
  const name = SIGNAL_NAMES.get(-exitcode);
  if (name === undefined) return `${exitcode} signal ${-exitcode}`;
  const words = SIGNAL_WORDS[name];
  return words === undefined ? `${exitcode} ${name}` : `${exitcode} ${name}: ${words}`;
}
