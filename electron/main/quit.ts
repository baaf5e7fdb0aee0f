// The quit policy: what happens to running non-daemon children when the user quits.
// Daemon children are always terminated (Python's rule); this decides only about the others.
import type { QuitPolicy } from '../../shared/model';

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

/** The dialog's buttons, in order; the index the dialog answers maps back through this list. */
export const QUIT_DIALOG_CHOICES: readonly QuitChoice[] = ['wait', 'terminate', 'cancel'];

export function quitDialogOptions(running: readonly { name: string; pid: number | null }[], joinMs: number) {
  const names = running.map((child) => `${child.name}${child.pid ? ` (pid ${child.pid})` : ''}`).join(', ');
  return {
    type: 'question' as const,
    buttons: [`Wait up to ${Math.round(joinMs / 1000)} s, then terminate`, 'Terminate now', 'Cancel'],
    defaultId: 0,
    cancelId: 2,
    title: 'Quit Proctor',
    message: `${running.length} supervised ${running.length === 1 ? 'child is' : 'children are'} still running`,
    detail: `${names}\n\nNo child outlives Proctor: they will be stopped either way.`,
  };
}
