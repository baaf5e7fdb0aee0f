// A program's own log settings in the stack file, with real processes: `log_dir` and `log_rotation`
// put its log elsewhere within its own limits, and `webhook` tells a server on 127.0.0.1 of its crash
// besides the settings' webhook.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { programDir } from '../../../electron/core/logs/paths';
import { call, collect, diskUse, logServices, readAll, tempRoot, until, webhookServers } from './helpers';

const service = logServices();
const webhookServer = webhookServers();

function stackFile(yaml: string): string {
  const file = join(tempRoot('proctor-stack-'), 'proctor.yaml');
  writeFileSync(file, yaml);
  return file;
}

describe('per-program log settings', () => {
  it('writes a program with its own log_dir there, rotated within its own log_rotation', async () => {
    const root = tempRoot();
    const s = service({ logs: { root } });
    const lines = 4000;
    const file = stackFile(
      [
        'programs:',
        '  web:',
        `    command: 'i=0; while [ $i -lt ${lines} ]; do echo "web line $i, padded to about a hundred bytes ................................"; i=$((i+1)); done'`,
        '    log_dir: own-logs',
        '    log_rotation: { max_bytes: 65536, max_files: 3 }',
      ].join('\n'),
    );
    const dir = join(file, '..', 'own-logs');
    let maxDisk = 0;
    const sampler = setInterval(() => (maxDisk = Math.max(maxDisk, diskUse(dir))), 5);
    await call(s, 'programs:load', { file });
    const last = `web line ${lines - 1}, padded to about a hundred bytes ................................`;
    await until('the last line on disk', async () => {
      await s.logs.book.flushed();
      const page = await call(s, 'logs:read', { name: 'web', limit: 1 });
      return page.lines.at(-1)?.text === last ? true : undefined;
    });
    await s.logs.book.flushed();
    clearInterval(sampler);
    const files = readdirSync(dir);
    expect(files.some((name) => name.endsWith('.log.gz'))).toBe(true);
    expect(files.length).toBeLessThanOrEqual(3);
    expect(Math.max(maxDisk, diskUse(dir))).toBeLessThanOrEqual(3 * 65536);
    // Nothing under the settings' folder for it.
    expect(existsSync(programDir(root, 'web'))).toBe(false);
    // The window reads it from there: the newest lines, in order.
    const read = await readAll(s, 'web');
    const texts = read.filter((line) => line.stream === 'stdout').map((line) => line.text);
    expect(texts.at(-1)).toBe(last);
    expect(texts.slice(-3).map((text) => Number(/^web line (\d+),/.exec(text)![1]))).toEqual([
      lines - 3,
      lines - 2,
      lines - 1,
    ]);
  });

  it("tells a program's own webhook of its crash, and only of its own; the settings' webhook hears both", async () => {
    const own = await webhookServer();
    const global = await webhookServer();
    const s = service({ logs: { webhook: { timeoutMs: 10_000, retries: 3, backoffMs: 50 } } });
    await call(s, 'settings:set', { webhookUrl: global.url });
    const told = collect(s, 'notification');
    const file = stackFile(
      [
        'programs:',
        '  crashy:',
        "    command: 'echo bye; exit 3'",
        `    webhook: ${own.url}`,
        '  calm:',
        "    command: 'exit 4'",
      ].join('\n'),
    );
    await call(s, 'programs:load', { file });
    await until('both crashes told', () =>
      told.filter((n) => n.kind === 'crash').length === 2 ? true : undefined,
    );
    await s.logs.notifier.close();
    expect(own.bodies.map((body) => [body.kind, body.program, body.exitcode])).toEqual([
      ['crash', 'crashy', 3],
    ]);
    expect(global.bodies.map((body) => body.program).sort()).toEqual(['calm', 'crashy']);
  });

  it('refuses a program webhook that is not http(s), with the place in the file', async () => {
    const s = service();
    const file = stackFile(
      ['programs:', '  p:', "    command: 'true'", '    webhook: ftp://example.com/x'].join('\n'),
    );
    const { problems } = await call(s, 'programs:validate', { file });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/http:\/\/ or https:\/\//);
    expect(problems[0]!.line).toBe(4);
  });
});
