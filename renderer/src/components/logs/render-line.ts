// A log line as a terminal would show it: ANSI colours through ansi_up (classes, so each theme picks its
// own shades), `\r` progress updates drawn over each other, and search matches marked.
import { AnsiUp } from 'ansi_up';
import './ansi.css';

const ansi = new AnsiUp();
ansi.use_classes = true;
// The window's CSP refuses inline styles: ansi_up's style attributes are turned into classes below, so
// its styles become markers to find them by.
ansi.boldStyle = 'bold';
ansi.faintStyle = 'faint';
ansi.italicStyle = 'italic';
ansi.underlineStyle = 'underline';

/** The 16 colours ansi_up names, with its RGB values: a 256-colour or true colour goes to the nearest. */
const PALETTE: ReadonlyArray<[string, number, number, number]> = [
  ['black', 0, 0, 0],
  ['red', 187, 0, 0],
  ['green', 0, 187, 0],
  ['yellow', 187, 187, 0],
  ['blue', 0, 0, 187],
  ['magenta', 187, 0, 187],
  ['cyan', 0, 187, 187],
  ['white', 255, 255, 255],
  ['bright-black', 85, 85, 85],
  ['bright-red', 255, 85, 85],
  ['bright-green', 0, 255, 0],
  ['bright-yellow', 255, 255, 85],
  ['bright-blue', 85, 85, 255],
  ['bright-magenta', 255, 85, 255],
  ['bright-cyan', 85, 255, 255],
  ['bright-white', 255, 255, 255],
];

function nearest(rgb: string): string {
  const [r, g, b] = rgb.split(',').map(Number) as [number, number, number];
  let best = PALETTE[0]!;
  let bestDistance = Infinity;
  for (const colour of PALETTE) {
    const distance = (colour[1] - r) ** 2 + (colour[2] - g) ** 2 + (colour[3] - b) ** 2;
    if (distance < bestDistance) [best, bestDistance] = [colour, distance];
  }
  return best[0];
}

/** `<span style="bold;color:rgb(…)" class="…">` as classes only. */
function classesOnly(html: string): string {
  return html.replace(/<span style="([^"]*)"(?: class="([^"]*)")?>/g, (_, style: string, classes = '') => {
    const names = classes === '' ? [] : [classes];
    for (const part of style.split(';')) {
      const colour = /^(background-)?color:rgb\(([\d,]+)\)$/.exec(part);
      if (colour) names.push(`ansi-${nearest(colour[2]!)}-${colour[1] ? 'bg' : 'fg'}`);
      else if (part !== '') names.push(`ansi-${part}`);
    }
    return `<span class="${names.join(' ')}">`;
  });
}

/** Any CSI sequence (colours, cursor moves): what a highlighted line leaves out. */
const CSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const RESET = '\x1b[0m';

/**
 * What is left on screen after the carriage returns: each part is written from the line's start over
 * the one before. A part with escape codes has no column count to overlay by, so it replaces the rest.
 */
export function afterCarriageReturns(text: string): string {
  if (!text.includes('\r')) return text;
  let shown = '';
  for (const part of text.split('\r')) {
    if (part === '') continue;
    shown = part.includes('\x1b') ? part : part + shown.slice(part.length);
  }
  return shown;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The line as HTML. With a `mark` pattern the matches are marked instead of coloured: the colours' spans
 * would cut through a match. Each line starts from the default colours, as it may be drawn alone.
 */
export function lineHtml(text: string, mark: RegExp | null): string {
  const shown = afterCarriageReturns(text);
  if (mark === null) return classesOnly(ansi.ansi_to_html(RESET + shown));
  const plain = shown.replace(CSI, '');
  let html = '';
  let at = 0;
  mark.lastIndex = 0;
  for (let match = mark.exec(plain); match !== null; match = mark.exec(plain)) {
    if (match[0] === '') {
      mark.lastIndex++;
      continue;
    }
    html += `${escapeHtml(plain.slice(at, match.index))}<mark>${escapeHtml(match[0])}</mark>`;
    at = match.index + match[0].length;
  }
  return html + escapeHtml(plain.slice(at));
}

/** The search's pattern as the window marks it: the same text, regex and case as `logs:search`. */
export function markPattern(pattern: string, regex: boolean, caseSensitive: boolean): RegExp | null {
  if (pattern === '') return null;
  const source = regex ? pattern : pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  try {
    return new RegExp(source, caseSensitive ? 'gu' : 'giu');
  } catch {
    return null;
  }
}
