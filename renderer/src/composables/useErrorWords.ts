import { useI18n } from 'vue-i18n';
import type { ProctorError } from '../../../shared/errors';

/** A contract error in the user's language, keeping the backend's own detail where it has one. */
export function useErrorWords(): (error: ProctorError) => string {
  const { t } = useI18n();
  return (error) => t(`errors.${error.code}`, { message: error.message });
}
