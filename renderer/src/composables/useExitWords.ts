import { useI18n } from 'vue-i18n';
import { signalName, signedCode } from '../text/format';

/** An exitcode with its meaning, Python's way: 0 success, n exit(n), −N killed by signal N. */
export function useExitWords(): (code: number) => string {
  const { t } = useI18n();
  return (code) => {
    const shown = signedCode(code);
    if (code === 0) return t('exit.success', { code: shown });
    if (code > 0) return t('exit.code', { code: shown, n: code });
    return t('exit.signal', { code: shown, signal: signalName(-code) });
  };
}
