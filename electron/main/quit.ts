// The quit policy: what happens to running non-daemon children when the user quits.
// Daemon children are always terminated (Python's rule); this decides only about the others.
import type { Language, QuitPolicy } from '../../shared/model';
import { format, WORDS } from '../../shared/words';

export type QuitChoice = 'wait' | 'terminate' | 'cancel';
export type QuitPlan = { action: 'quit'; children: 'join' | 'terminate' } | { action: 'cancel' };

export async function planQuit(
  policy: QuitPolicy,
  runningNonDaemon: number,
  ask: () => Promise<QuitChoice>,
): Promise<QuitPlan> {
  if (runningNonDaemon === 0) return { action: 'quit', children: 'terminate' };
  if (policy === 'join') return { action: 'quit', children: 'join' };
  if (policy === 'terminate') return { action: 'quit', children: 'terminate' };
  const choice = await ask();
  if (choice === 'cancel') return { action: 'cancel' };
  return { action: 'quit', children: choice === 'wait' ? 'join' : 'terminate' };
}

/** Attached: the children belong to the backend and keep running; ask only when some run. */
export async function planAttachedQuit(
  runningNonDaemon: number,
  ask: () => Promise<'quit' | 'cancel'>,
): Promise<QuitPlan> {
  if (runningNonDaemon > 0 && (await ask()) === 'cancel') return { action: 'cancel' };
  // Nothing to stop: the backend's own quit policy applies when it is stopped (`proctor down`).
  return { action: 'quit', children: 'join' };
}

/** The dialog's buttons, in order; the index the dialog answers maps back through this list. */
export const QUIT_DIALOG_CHOICES: readonly QuitChoice[] = ['wait', 'terminate', 'cancel'];

function childNames(running: readonly { name: string; pid: number | null }[]): string {
  return running.map((child) => `${child.name}${child.pid ? ` (pid ${child.pid})` : ''}`).join(', ');
}

export function quitDialogOptions(
  running: readonly { name: string; pid: number | null }[],
  joinMs: number,
  language: Language,
) {
  const words = WORDS[language].quit;
  const names = childNames(running);
  const answers: Record<QuitChoice, string> = {
    wait: format(words.waitThenTerminate, { seconds: Math.round(joinMs / 1000) }),
    terminate: words.terminateNow,
    cancel: words.cancel,
  };
  return {
    type: 'question' as const,
    buttons: QUIT_DIALOG_CHOICES.map((choice) => answers[choice]),
    defaultId: QUIT_DIALOG_CHOICES.indexOf('wait'),
    cancelId: QUIT_DIALOG_CHOICES.indexOf('cancel'),
    title: words.title,
    message: format(words.message, {}, running.length),
    detail: format(words.detail, { names }),
  };
}

/** The attached app's dialog: its children are not ours to stop, so the only question is whether to quit. */
export const ATTACHED_QUIT_CHOICES: readonly ('quit' | 'cancel')[] = ['quit', 'cancel'];

export function attachedQuitDialogOptions(
  running: readonly { name: string; pid: number | null }[],
  backendPid: number,
  language: Language,
) {
  const words = WORDS[language].quit;
  const names = childNames(running);
  return {
    type: 'question' as const,
    buttons: [words.leaveRunning, words.cancel],
    defaultId: ATTACHED_QUIT_CHOICES.indexOf('quit'),
    cancelId: ATTACHED_QUIT_CHOICES.indexOf('cancel'),
    title: words.title,
    message: format(words.attachedMessage, { pid: backendPid }, running.length),
    detail: format(words.attachedDetail, { names }),
  };
}
