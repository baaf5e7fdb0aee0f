// One catalogue per language, for every layer: the window hands them to vue-i18n; Node code picks a
// message and fills it with `format`.
import en, { type Words } from './en';
import { LANGUAGES, type Language } from './languages';
import zhCN from './zh-CN';

export type { Words };
export { format } from './format';
export { LANGUAGES, LANGUAGE_NAMES, type Language } from './languages';

export const WORDS: Readonly<Record<Language, Words>> = { en, 'zh-CN': zhCN };

/** One message in every language, for what crosses the contract before a language is chosen. */
export function inEveryLanguage<T>(pick: (words: Words) => T): Record<Language, T> {
  return Object.fromEntries(LANGUAGES.map((language) => [language, pick(WORDS[language])])) as Record<
    Language,
    T
  >;
}
