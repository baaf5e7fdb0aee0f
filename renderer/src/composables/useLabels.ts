import { computed } from 'vue';
import { i18n } from '../i18n';

const STATES = ['R', 'S', 'D', 'Z', 'T', 't', 'I', 'X', 'W', 'P', 'K'] as const;

/**
 * State words for every row, looked up once per language: calling `t()` for each of 60 rows at every
 * sample costs more than the rest of the row's repaint.
 */
const stateWords = computed(() => {
  const { t } = i18n.global;
  void i18n.global.locale.value;
  const words = new Map<string, string>(STATES.map((s) => [s, `${s} ${t(`state.${s}`)}`]));
  words.set('ghost', `– ${t('state.ghost')}`);
  return words;
});

export function stateLabel(state: string): string {
  return stateWords.value.get(state) ?? state;
}
