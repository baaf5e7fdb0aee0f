// The languages Proctor speaks: the settings' schema, the window's i18n and Electron main's words all
// take the list from here.
export const LANGUAGES = ['en', 'zh-CN'] as const;

export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself, as the language picker shows it. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: 'English', 'zh-CN': '简体中文' };
