// Fuzzing the boundary over the real WebSocket transport: random and mutated payloads for every command.
// Every bad payload must come back E_INVALID with a path; nothing may crash or answer E_INTERNAL.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { commandNames, parseRequest, type CommandName } from '../../shared/contract';
import { useConnectedServer } from '../support/in-process-server';

/** A valid request for every command: the seeds that mutations start from. */
const VALID: Record<CommandName, Record<string, unknown>> = {
  'app:info': {},
  'children:start': { command: 'true', args: ['a'], name: 'fuzz', daemon: false, graceMs: 100 },
  'children:list': {},
  'children:terminateAll': {},
  'children:terminate': { id: 'c999', graceMs: 10 },
  'children:kill': { id: 'c999' },
  'children:join': { id: 'c999', timeoutMs: 0 },
  'children:restart': { id: 'c999' },
  'children:remove': { id: 'c999' },
  'children:output': { id: 'c999', since: 0, limit: 10 },
  'processes:snapshot': {},
  'processes:history': { pid: 1 },
  'processes:detail': { pid: 1 },
  'processes:signal': { pid: 4_000_000, signal: 'SIGCONT' },
  'processes:stopPreview': { pid: 1 },
  'processes:renice': { pid: 4_000_000, nice: 0 },
  'monitor:setPaused': { paused: false },
  'monitor:stats': {},
  'monitor:watch': { pid: null },
  'settings:get': {},
  'settings:set': { graceMs: 1000 },
  'lessons:list': {},
  'lessons:get': { id: 'none' },
  'lessons:run': { id: 'none' },
  'lessons:saveEdit': { id: 'none', code: 'print(1)' },
  'lessons:restore': { id: 'none' },
  'family:graph': { id: 'c999' },
  'programs:load': { file: '/nonexistent/proctor.yaml' },
  'programs:reload': {},
  'programs:validate': { file: 'proctor.yaml', text: 'programs: {}' },
  'programs:list': {},
  'programs:source': { file: '/nonexistent/proctor.yaml' },
  'programs:start': { names: ['none'] },
  'programs:stop': { names: ['none'] },
  'programs:restart': { names: ['none'] },
  'programs:keep': { name: 'fuzz', program: { command: 'true' } },
  'programs:forget': { name: 'fuzz' },
  'programs:import': { file: '/nonexistent/Procfile' },
  'logs:list': {},
  'logs:read': { name: 'fuzz', from: 0, limit: 10 },
  'logs:search': {
    name: 'fuzz',
    pattern: 'a.c',
    regex: true,
    caseSensitive: false,
    stream: 'stdout',
    limit: 5,
  },
  'postmortems:list': { name: 'fuzz' },
  'postmortems:get': { name: 'fuzz', id: '0000000000001-c1' },
};

/**
 * Valid payloads of these would act on the machine (start programs, signal real pids, run lessons):
 * the fuzzer sends only their invalid variants. Everything else is safe to send valid or not.
 */
const ACTS_ON_MACHINE = new Set<CommandName>([
  'children:start',
  'children:terminateAll',
  'processes:signal',
  'processes:renice',
  'lessons:run',
  'lessons:saveEdit',
  'lessons:restore',
  'programs:load',
  'programs:keep',
  'programs:import',
]);

const value = fc.oneof(
  fc.anything({ maxDepth: 2, maxKeys: 4 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom('', '\0', 'c1', -1, 0, 2 ** 53, null, [], {}, 'SIGKILL', '../../etc/passwd'),
);

const mutated = (seed: Record<string, unknown>) =>
  fc.oneof(
    fc
      .record({ key: fc.constantFrom(...Object.keys(seed), 'extra'), v: value })
      .map(({ key, v }) => ({ ...seed, [key]: v })),
    fc.constantFrom(...Object.keys(seed), '__missing__').map((key) => {
      const copy = { ...seed };
      delete copy[key];
      return copy;
    }),
    fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 4 }).map((extra) => ({ ...seed, ...extra })),
  );

const payload = (name: CommandName) => fc.oneof(value, mutated(VALID[name]));

const server = useConnectedServer();

it('answers ≥ 10,000 random and mutated payloads without a crash, every bad one E_INVALID with a path', async () => {
  const cases = fc.sample(
    fc.constantFrom(...commandNames).chain((name) => fc.tuple(fc.constant(name), payload(name))),
    { numRuns: 11_000, seed: 20261125 },
  );
  let sent = 0;
  let invalid = 0;
  const unexpected: string[] = [];
  for (let i = 0; i < cases.length; i += 250) {
    const batch = cases.slice(i, i + 250).flatMap(([name, raw]) => {
      // What arrives is what survives JSON, so the local verdict is made on the same value.
      const request: unknown = raw === undefined ? undefined : JSON.parse(JSON.stringify({ raw })).raw;
      const verdict = parseRequest(name, request);
      if (verdict.ok && ACTS_ON_MACHINE.has(name)) return [];
      sent++;
      return [
        server.client.invokeRaw(name, request).then((result) => {
          if (!verdict.ok) {
            invalid++;
            if (result.ok || result.error.code !== 'E_INVALID' || !result.error.path) {
              unexpected.push(`${name} ${JSON.stringify(request)} -> ${JSON.stringify(result)}`);
            }
          } else if (!result.ok && ['E_INVALID', 'E_INTERNAL'].includes(result.error.code)) {
            unexpected.push(`${name} ${JSON.stringify(request)} -> ${JSON.stringify(result)}`);
          }
        }),
      ];
    });
    await Promise.all(batch);
  }
  expect(unexpected.slice(0, 5)).toEqual([]);
  expect(sent).toBeGreaterThanOrEqual(10_000);
  expect(invalid).toBeGreaterThan(5_000);
  await expect(server.client.call('app:info', {})).resolves.toMatchObject({ name: 'Proctor' });
  console.log(`fuzz: ${sent} payloads sent, ${invalid} invalid, 0 crashes`);
}, 120_000);
