// A launch keeps clear of the readiness checks that waiting programs depend on: the rule itself, and a
// stack whose gating check fails every few milliseconds still launching everything nobody waits for.
import { describe, expect, it } from 'vitest';
import { launchClearance } from '../../../electron/core/programs/clearance';
import { freePort, orchestrators, program, stackFrom, until } from './helpers';

const make = orchestrators();

describe('launch clearance', () => {
  it('holds a launch that would run into a check due within the last launch’s duration, until it is due', () => {
    const check = { at: 1000, underWay: false, period: 100 };
    // The last spawn took 12 ms: one starting 12 ms or less before the check would still block the loop then.
    expect(launchClearance(980, 12, [check])).toBe(0);
    expect(launchClearance(989, 12, [check])).toBe(12);
    expect(launchClearance(999.5, 12, [check])).toBe(2);
    // Due, but its timer has not fired yet (the loop is late): it goes first.
    expect(launchClearance(1003, 12, [check])).toBe(1);
  });

  it('holds a launch for the first moments of a check under way, so its result comes first', () => {
    expect(launchClearance(1001, 12, [{ at: 1000, underWay: true, period: 100 }])).toBe(4);
    expect(launchClearance(1005, 12, [{ at: 1000, underWay: true, period: 100 }])).toBe(0);
  });

  it('never holds launches for more than a quarter of the period before a check and a tenth after it', () => {
    // A spawn that took 80 ms against a probe every 40 ms: held only from 10 ms before it.
    expect(launchClearance(989, 80, [{ at: 1000, underWay: false, period: 40 }])).toBe(0);
    expect(launchClearance(991, 80, [{ at: 1000, underWay: false, period: 40 }])).toBe(10);
    expect(launchClearance(1004.5, 80, [{ at: 1000, underWay: true, period: 40 }])).toBe(0);
  });

  it('waits for the latest of several checks near at once, and for none when none is near', () => {
    const checks = [
      { at: 1000, underWay: false, period: 100 },
      { at: 1003, underWay: false, period: 100 },
      { at: 1500, underWay: false, period: 100 },
    ];
    expect(launchClearance(995, 10, checks)).toBe(9);
    expect(launchClearance(900, 10, checks)).toBe(0);
    expect(launchClearance(995, 10, [])).toBe(0);
  });

  it('a gating check that fails every 10 ms does not keep the programs nobody waits for from starting', async () => {
    const { orchestrator } = make();
    const closed = await freePort();
    const independents = Array.from({ length: 20 }, (_, i) => `a${i}`);
    await orchestrator.apply(
      stackFrom(
        [
          'programs:',
          `  db: { command: [sleep, '1000'], readiness_probe: { tcp_socket: { port: ${closed} }, period: 10ms, failure_threshold: 1000 } }`,
          `  web: { command: [sleep, '1000'], depends_on: { db: { condition: healthy } } }`,
          ...independents.map((name) => `  ${name}: { command: [sleep, '1000'] }`),
        ].join('\n'),
      ),
    );
    for (const name of independents) await until(orchestrator, name, (info) => info.state === 'running');
    expect(program(orchestrator, 'db').probes.readiness?.at(-1)?.ok).toBe(false);
    expect(program(orchestrator, 'web').state).toBe('waiting');
  });
});
