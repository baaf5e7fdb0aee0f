// Fills a catalogue message the way vue-i18n does, for the words Node shows itself (the tray, the quit
// dialog, the lessons' checks, error sentences outside the window): `{name}` placeholders, and
// `one | many` plural forms chosen by a count with vue-i18n's default rule (which also names the count
// `{n}` and `{count}`). The catalogues use no other vue-i18n syntax; a test compares both on every message.
export type Values = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{\s*(\w+)\s*\}/g;

/** vue-i18n's default plural rule: with two forms 1 takes the first; with three, 0, 1 and many. */
function pluralForm(count: number, forms: number): number {
  const choice = Math.abs(count);
  if (forms === 2) return choice === 1 ? 0 : 1;
  return Math.min(choice, 2, forms - 1);
}

export function format(message: string, values: Values = {}, count?: number): string {
  // Only plural forms are trimmed around their bars: a single message keeps its spaces, as in vue-i18n.
  const split = message.split('|');
  const forms = split.length === 1 ? split : split.map((form) => form.trim());
  const form =
    count === undefined || forms.length === 1 ? forms[0]! : forms[pluralForm(count, forms.length)]!;
  const named: Values = count === undefined ? values : { n: count, count, ...values };
  return form.replace(PLACEHOLDER, (_, name: string) => String(named[name] ?? ''));
}

/** The names of a message's placeholders, each once. */
export function placeholders(message: string): Set<string> {
  return new Set([...message.matchAll(PLACEHOLDER)].map((match) => match[1]!));
}
