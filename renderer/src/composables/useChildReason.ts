// Why a child is where it is, when the state alone does not say: the spawn error's words after a failed
// start, and for a fatal child how its restart policy gave up (and on what error, if starts failed).
import { useI18n } from 'vue-i18n';
import type { ChildInfo } from '../../../shared/model';
import { useErrorWords } from './useErrorWords';

export function useChildReason(): (child: ChildInfo) => string | null {
  const { t } = useI18n();
  const errorWords = useErrorWords();
  return (child) => {
    // A failed start keeps its error through the backoff that may follow, until the next launch.
    const error = child.error ? errorWords(child.error) : null;
    if (child.state !== 'fatal' || !child.gaveUp) return error;
    const { exits, overMs, policy, maxRetries } = child.gaveUp;
    const gaveUp = t(
      'reason.gaveUp',
      {
        exits,
        // Tenths while it is short: "in 0.4 s" says more than "in 0 s" or "in 1 s".
        seconds: overMs < 10_000 ? (overMs / 1000).toFixed(1) : Math.round(overMs / 1000),
        policy: t(`policy.${policy}`),
        retries: t('reason.retries', { n: maxRetries }, maxRetries),
      },
      exits,
    );
    return error ? t('reason.gaveUpOn', { gaveUp, error }) : gaveUp;
  };
}
