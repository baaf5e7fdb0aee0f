// One catalogue per language, for every layer: both languages say the same things (same keys, same
// placeholders), and Node's `format` fills a message exactly as the window's vue-i18n does.
import { createI18n } from 'vue-i18n';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, WORDS, format, type Language } from '../../shared/words';
import { placeholders } from '../../shared/words/format';

type Tree = { readonly [key: string]: string | Tree };

/** Every message of a catalogue by its dotted path. */
function messages(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [inner, message] of messages(value, path)) out.set(inner, message);
  }
  return out;
}

const catalogues = new Map(LANGUAGES.map((language) => [language, messages(WORDS[language])]));
const english = catalogues.get('en')!;

describe('word catalogues', () => {
  it('has the same keys in every language', () => {
    expect(english.size).toBeGreaterThan(300);
    for (const language of LANGUAGES)
      expect([...catalogues.get(language)!.keys()]).toEqual([...english.keys()]);
  });

  it('has the same placeholders for each message in every language', () => {
    for (const language of LANGUAGES) {
      for (const [path, message] of catalogues.get(language)!) {
        expect({ path, language, names: [...placeholders(message)].sort() }).toEqual({
          path,
          language,
          names: [...placeholders(english.get(path)!)].sort(),
        });
      }
    }
  });

  it('formats every message in Node exactly as vue-i18n does in the window', () => {
    let plurals = 0;
    for (const language of LANGUAGES) {
      const i18n = createI18n({ legacy: false, locale: language, messages: { [language]: WORDS[language] } });
      const t = i18n.global.t as (key: string, named: Record<string, unknown>, plural?: number) => string;
      for (const [path, message] of catalogues.get(language)!) {
        const values = Object.fromEntries(
          [...placeholders(message)].map((name, i) => [name, `<${name}${i}>`]),
        );
        expect(format(message, values), `${language} ${path}`).toBe(t(path, values));
        if (!message.includes('|')) continue;
        plurals++;
        // The count fills {n} and {count}; any other placeholder (a pid beside the count) keeps its value.
        const others = Object.fromEntries(
          Object.entries(values).filter(([name]) => name !== 'n' && name !== 'count'),
        );
        for (const count of [0, 1, 2, 7]) {
          const counted = { ...values, n: count, count };
          expect(format(message, others, count), `${language} ${path} ×${count}`).toBe(
            t(path, counted, count),
          );
        }
      }
    }
    expect(plurals).toBeGreaterThan(0);
  });

  it('keeps the words main showed before the catalogue', () => {
    const say = (language: Language, count: number) => format(WORDS[language].tray.tooltip, {}, count);
    expect([0, 1, 2].map((count) => say('en', count))).toEqual([
      'Proctor — 0 running children',
      'Proctor — 1 running child',
      'Proctor — 2 running children',
    ]);
    expect(say('zh-CN', 2)).toBe('Proctor — 2 个子进程在运行');
  });
});
