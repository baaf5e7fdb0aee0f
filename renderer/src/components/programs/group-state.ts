// One word for a program of several replicas, and the colour every state is drawn in.
import type { ProgramInfo, ProgramState } from '../../../../shared/model';

/** The first that any replica is in speaks for the program: trouble first, healthy only when all are. */
const PRIORITY: readonly ProgramState[] = [
  'fatal',
  'failed',
  'blocked',
  'backoff',
  'exited',
  'waiting',
  'starting',
  'stopping',
  'running',
  'stopped',
  'disabled',
  'healthy',
];

export function groupState(units: readonly ProgramInfo[]): ProgramState {
  const states = new Set(units.map((unit) => unit.state));
  return PRIORITY.find((state) => states.has(state)) ?? 'stopped';
}

export type Tone = 'ok' | 'run' | 'wait' | 'bad' | 'off';

const TONES: Record<ProgramState, Tone> = {
  healthy: 'ok',
  running: 'run',
  starting: 'wait',
  stopping: 'wait',
  backoff: 'wait',
  waiting: 'wait',
  blocked: 'bad',
  failed: 'bad',
  fatal: 'bad',
  exited: 'off',
  stopped: 'off',
  disabled: 'off',
};

export const toneOf = (state: ProgramState): Tone => TONES[state];
