import { computed } from 'vue';
import type { ChildState } from '../../../shared/model';
import { i18n } from './index';

const STATES = ['R', 'S', 'D', 'Z', 'T', 't', 'I', 'X', 'W', 'P', 'K'] as const;
const CHILD_STATES: readonly ChildState[] = [
  'created',
  'starting',
  'running',
  'stopping',
  'exited',
  'failed',
  'backoff',
  'fatal',
];

/**
 * State words for every row, looked up once per language: calling `t()` for each of 60 rows at every
 * sample costs more than the rest of the row's repaint.
 */
const stateWords = computed(() => {
  const { t } = i18n.global;
  void i18n.global.locale.value;
  const words = new Map<string, string>(STATES.map((s) => [s, `${s} ${t(`state.${s}`)}`]));
  words.set('ghost', `– ${t('state.ghost')}`);
  for (const state of CHILD_STATES) words.set(`child:${state}`, `– ${t(`childState.${state}`)}`);
  return words;
});

export function stateLabel(state: string): string {
  return stateWords.value.get(state) ?? state;
}

/** A supervised child's state, for the row it keeps in the tree once its process is gone. */
export function childStateLabel(state: ChildState): string {
  return stateWords.value.get(`child:${state}`) ?? state;
}
