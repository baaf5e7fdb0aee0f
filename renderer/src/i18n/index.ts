import { createI18n } from 'vue-i18n';
import { LANGUAGES, LANGUAGE_NAMES, WORDS, type Language, type Words } from '../../../shared/words';

/** The language picker's choices, each named in itself. */
export const LANGUAGE_CHOICES = LANGUAGES.map((code) => ({ code, label: LANGUAGE_NAMES[code] }));

export const i18n = createI18n<[Words], Language, false>({
  legacy: false,
  locale: 'en',
  fallbackLocale: 'en',
  messages: WORDS,
});

export function setLanguage(language: Language): void {
  i18n.global.locale.value = language;
  document.documentElement.lang = language;
}
