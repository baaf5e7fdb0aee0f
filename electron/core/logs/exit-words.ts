// An exitcode in words, as a post-mortem and a notification say it: `-11 SIGSEGV: segmentation fault`.
// Names come from the shared signal table; the words, like strsignal(3)'s, are only needed here.
import { signalNameOf, type SignalName } from '../../../shared/signals';

const SIGNAL_WORDS: Readonly<Partial<Record<SignalName, string>>> = {
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

export function exitWords(exitcode: number | null): string {
  if (exitcode === null) return 'no exit status';
  if (exitcode >= 0) return `exit code ${exitcode}`;
  const name = signalNameOf(-exitcode);
  if (name === undefined) return `${exitcode} signal ${-exitcode}`;
  const words = SIGNAL_WORDS[name];
  return words === undefined ? `${exitcode} ${name}` : `${exitcode} ${name}: ${words}`;
}
