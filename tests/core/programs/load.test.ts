// Loading a stack file: a valid one resolves fully; every kind of invalid one is refused whole, with
// each problem at its file:line:col.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeProblems, parseStack, readStack } from '../../../electron/core/programs/load';
import { stackJsonSchema } from '../../../electron/core/programs/schema';
import type { StackProblem } from '../../../shared/model';

const REPO = join(import.meta.dirname, '..', '..', '..');

function problemsOf(text: string): StackProblem[] {
  const result = parseStack(text, '/stacks/proctor.yaml');
  if (result.ok) throw new Error('the file was accepted');
  return result.problems;
}

describe('a valid stack file', () => {
  it('resolves durations, cwd, env files and the merged environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'proctor-stack-'));
    writeFileSync(join(dir, '.env'), 'FROM_FILE=1\nSHARED=file\n');
    const file = join(dir, 'proctor.yaml');
    writeFileSync(
      file,
      [
        'environment: { SHARED: top, TOP: yes }',
        'programs:',
        '  db:',
        '    command: [postgres, -D, data]',
        '    cwd: db',
        '    readiness_probe: { tcp_socket: { port: 5432 }, period: 250ms, initial_delay: 1s }',
        '  web:',
        '    command: node server.js',
        '    env_file: .env',
        '    env: { PORT: 8080 }',
        '    depends_on: { db: { condition: healthy } }',
        '    stop: { grace: 2s, signal: SIGINT }',
      ].join('\n'),
    );
    const result = readStack(file);
    if (!result.ok) throw new Error(describeProblems(result.problems));
    const db = result.stack.programs.get('db')!;
    const web = result.stack.programs.get('web')!;
    expect(db.cwd).toBe(join(dir, 'db'));
    expect(db.def.readiness_probe).toMatchObject({ period: 250, initial_delay: 1000, failure_threshold: 3 });
    expect(web.env).toEqual({ SHARED: 'file', TOP: 'yes', FROM_FILE: '1', PORT: '8080' });
    expect(web.def.stop).toEqual({ signal: 'SIGINT', grace: 2000 });
    expect(web.def.depends_on).toEqual({ db: { condition: 'healthy' } });
    expect(web.def.restart.policy).toBe('never');
  });
});

describe('an invalid stack file is refused whole, each problem at its place', () => {
  it('a cycle names every program on it and the line of its first edge', () => {
    const problems = problemsOf(
      [
        'programs:',
        '  a: { command: x, depends_on: [b] }',
        '  b:',
        '    command: x',
        '    depends_on:',
        '      c: { condition: started }',
        '  c: { command: x, depends_on: [a] }',
        '  d: { command: x }',
      ].join('\n'),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'cycle', params: { programs: 'a → b → c → a' }, line: 2 });
    expect(describeProblems(problems)).toBe('/stacks/proctor.yaml:2:32: a dependency cycle: a → b → c → a');
  });

  it('an unknown dependency, at its key', () => {
    const [problem] = problemsOf('programs:\n  web:\n    command: x\n    depends_on:\n      db: {}\n');
    expect(problem).toMatchObject({ code: 'unknown_dependency', line: 5, col: 7 });
    expect(problem!.message).toBe('web depends on db, which is not a program in this file');
  });

  it('a name defined twice', () => {
    const [problem] = problemsOf('programs:\n  web: { command: x }\n  web: { command: y }\n');
    expect(problem).toMatchObject({ code: 'duplicate_key', line: 3, col: 3 });
  });

  it('a replica name that another program already has', () => {
    const [problem] = problemsOf('programs:\n  w-1: { command: x }\n  w: { command: y, replicas: 2 }\n');
    expect(problem).toMatchObject({ code: 'duplicate_name', params: { name: 'w-1' }, line: 3 });
  });

  it('bad probes: two kinds, a bad regex, a log line as liveness, a bad url', () => {
    const problems = problemsOf(
      [
        'programs:',
        '  a:',
        '    command: x',
        '    readiness_probe: { exec: { command: "true" }, tcp_socket: { port: 1 } }',
        '  b:',
        '    command: x',
        '    readiness_probe:',
        '      log_line: "(unclosed"',
        '  c:',
        '    command: x',
        '    liveness_probe: { log_line: ready }',
        '  d:',
        '    command: x',
        '    readiness_probe: { http_get: { url: "ftp://x" }, period: 5 }',
      ].join('\n'),
    );
    const where = problems.map((p) => [p.params.path, p.line]);
    expect(where).toEqual([
      ['programs.a.readiness_probe', 4],
      ['programs.b.readiness_probe.log_line', 8],
      ['programs.c.liveness_probe', 11],
      ['programs.d.readiness_probe.http_get.url', 14],
      ['programs.d.readiness_probe.period', 14],
    ]);
    expect(problems[0]!.message).toContain('exactly one of exec, http_get, tcp_socket, log_line');
  });

  it('a YAML syntax error, at its line', () => {
    const [problem] = problemsOf('programs:\n  a: { command: x\n  b: [\n');
    expect(problem!.code).toBe('yaml');
    expect(problem!.line).toBeGreaterThanOrEqual(2);
  });

  it('an unknown key, at the key itself', () => {
    const [problem] = problemsOf('programs:\n  a:\n    command: x\n    restrat: always\n');
    expect(problem).toMatchObject({
      code: 'schema',
      line: 4,
      col: 5,
      params: { path: 'programs.a.restrat' },
    });
  });

  it('a bad webhook, named as the stack file spells it', () => {
    const [problem] = problemsOf('programs:\n  a:\n    command: x\n    webhook: ftp://example.org\n');
    expect(problem).toMatchObject({ code: 'schema', line: 4, params: { path: 'programs.a.webhook' } });
    expect(describeProblems([problem!])).toContain('webhook must be an http:// or https:// URL');
    expect(describeProblems([problem!])).not.toContain('webhookUrl');
  });

  it('a condition its dependency can never reach', () => {
    const [problem] = problemsOf(
      'programs:\n  db: { command: x }\n  web: { command: y, depends_on: { db: { condition: healthy } } }\n',
    );
    expect(problem).toMatchObject({
      code: 'condition_unmeetable',
      params: { needs: 'readiness_probe' },
      line: 3,
    });
  });

  it('a missing env_file', () => {
    const [problem] = problemsOf('programs:\n  a: { command: x, env_file: missing.env }\n');
    expect(problem).toMatchObject({ code: 'env_file', line: 2 });
    expect(problem!.message).toContain('/stacks/missing.env');
  });

  it('a missing file', () => {
    const result = readStack('/nonexistent/proctor.yaml');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]!.code).toBe('read');
  });
});

describe('the published JSON Schema', () => {
  it('docs/proctor.schema.json is what the zod schema gives (npm run schema rewrites it)', () => {
    const committed: unknown = JSON.parse(readFileSync(join(REPO, 'docs', 'proctor.schema.json'), 'utf8'));
    expect(committed).toEqual(stackJsonSchema());
  });
});
