// The Start dialog's text fields into a ChildSpec's lists: arguments the way a shell splits them
// (quotes keep spaces, no expansion), environment one NAME=value a line.

export function splitArgs(text: string): string[] {
  const args: string[] = [];
  let current = '';
  let quote: '"' | "'" | null = null;
  let inArg = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inArg = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      current += text[++i];
      inArg = true;
    } else if (/\s/.test(ch)) {
      if (inArg) args.push(current);
      current = '';
      inArg = false;
    } else {
      current += ch;
      inArg = true;
    }
  }
  if (inArg) args.push(current);
  return args;
}

/** NAME=value lines; returns the 1-based numbers of lines that are not. */
export function parseEnv(text: string): { env: Record<string, string>; badLines: number[] } {
  const env: Record<string, string> = {};
  const badLines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const eq = line.indexOf('=');
    if (eq <= 0) badLines.push(i + 1);
    else env[line.slice(0, eq).trim()] = line.slice(eq + 1);
  });
  return { env, badLines };
}
