import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventMap } from '../../../shared/contract';
import { Listeners } from '../../../shared/listeners';
import { ProctorMetrics } from '../../../electron/core/metrics';
import { Programs } from '../../../electron/core/programs/feature';
import { Monitor, ProcSource } from '../../../electron/core/monitor';
import { GUARD_PATH, sh, supervisors } from '../supervisor/helpers';
import { parseExposition, sampleOf } from '../../support/exposition';
import { supervisedOf } from '../../../electron/core/supervised';

const supervisor = supervisors();
const disposals: Array<() => void> = [];
afterEach(() => disposals.splice(0).forEach((dispose) => dispose()));

/** The /proc source, counting its samples: a scrape must never cause one. */
class CountingSource extends ProcSource {
  samples = 0;
  override sample() {
    this.samples++;
    return super.sample();
  }
}

function backend() {
  const source = new CountingSource();
  const sup = supervisor({ guardPath: GUARD_PATH });
  const monitor = new Monitor({
    source,
    supervised: supervisedOf(sup),
  });
  const programs = new Programs(sup, new Listeners<EventMap>());
  const metrics = new ProctorMetrics(monitor, sup, () => programs.orchestrator.list());
  disposals.push(
    () => metrics.dispose(),
    () => monitor.stop(),
    () => void programs.shutdown(),
  );
  const scrape = async () => parseExposition(await metrics.render());
  return { source, sup, monitor, programs, metrics, scrape };
}

/** Ticks until the scrape satisfies `ready`, at most 10 s. */
async function tickUntil(
  monitor: Monitor,
  scrape: () => ReturnType<ReturnType<typeof backend>['scrape']>,
  ready: (samples: Awaited<ReturnType<typeof scrape>>) => boolean,
) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await monitor.tick();
    const samples = await scrape();
    if (ready(samples)) return samples;
    if (Date.now() > deadline) throw new Error('the metrics never showed what was waited for');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('ProctorMetrics', () => {
  it("shows a running program's family under process-exporter's names and its state under Proctor's", async () => {
    const { sup, monitor, scrape } = backend();
    const child = await sup.start({ name: 'fam', ...sh('sleep 30 & sleep 30 & wait') });
    const samples = await tickUntil(monitor, scrape, (s) =>
      s.some((x) => x.name === 'namedprocess_namegroup_num_procs' && x.value === 3),
    );
    const group = { groupname: 'fam' };
    expect(sampleOf(samples, 'namedprocess_namegroup_num_procs', group)).toBe(3);
    expect(sampleOf(samples, 'namedprocess_namegroup_num_threads', group)).toBe(3);
    // Three small processes: some memory, and no more than a few hundred MB between them.
    const resident = sampleOf(samples, 'namedprocess_namegroup_memory_bytes', {
      ...group,
      memtype: 'resident',
    });
    expect(resident).toBeGreaterThan(100_000);
    expect(resident).toBeLessThan(300e6);
    expect(
      sampleOf(samples, 'namedprocess_namegroup_memory_bytes', { ...group, memtype: 'virtual' }),
    ).toBeGreaterThan(resident);
    const program = { program: 'fam' };
    expect(sampleOf(samples, 'proctor_program_up', program)).toBe(1);
    expect(sampleOf(samples, 'proctor_program_state', { ...program, state: 'running' })).toBe(1);
    expect(sampleOf(samples, 'proctor_program_state', { ...program, state: 'exited' })).toBe(0);
    expect(sampleOf(samples, 'proctor_program_restarts_total', program)).toBe(0);
    expect(sampleOf(samples, 'proctor_program_start_time_seconds', program)).toBe(
      child.info().startedAt! / 1000,
    );
    expect(samples.some((s) => s.name === 'proctor_program_last_exit_code')).toBe(false);
    expect(sampleOf(samples, 'proctor_monitor_processes')).toBe(monitor.stats().processCount);
    expect(sampleOf(samples, 'proctor_monitor_tick_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sampleOf(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts a restart and keeps the exit code after a kill from outside', async () => {
    const { sup, monitor, scrape } = backend();
    const child = await sup.start({
      name: 'victim',
      ...sh('exec sleep 30'),
      restart: { policy: 'always', maxRetries: 5, backoffMs: 50, maxBackoffMs: 50 },
    });
    await monitor.tick();
    process.kill(child.pid!, 'SIGKILL');
    const samples = await tickUntil(
      monitor,
      scrape,
      (s) =>
        sampleOf(s, 'proctor_program_restarts_total', { program: 'victim' }) === 1 &&
        sampleOf(s, 'proctor_program_up', { program: 'victim' }) === 1,
    );
    expect(sampleOf(samples, 'proctor_program_last_exit_code', { program: 'victim' })).toBe(-9);
  });

  it('tells children that share a name apart by replica', async () => {
    const { sup, monitor, scrape } = backend();
    await sup.start({ name: 'web', ...sh('exec sleep 30') });
    await sup.start({ name: 'web', ...sh('exec sleep 30') });
    await sup.start({ name: 'db', ...sh('exec sleep 30') });
    const samples = await tickUntil(
      monitor,
      scrape,
      (s) => s.filter((x) => x.name === 'namedprocess_namegroup_num_procs' && x.value === 1).length === 3,
    );
    const up = samples.filter((s) => s.name === 'proctor_program_up').map((s) => s.labels);
    expect(up).toEqual([
      { program: 'web', replica: '0' },
      { program: 'web', replica: '1' },
      { program: 'db' },
    ]);
    expect(sampleOf(samples, 'namedprocess_namegroup_num_procs', { groupname: 'web', replica: '1' })).toBe(1);
  });

  it("names a stack's programs by the stack: replicas, readiness, open files and disk writes", async () => {
    const { monitor, programs, scrape } = backend();
    const dir = mkdtempSync(join(tmpdir(), 'proctor-metrics-stack-'));
    const writer = [
      'import os, sys, time',
      "out = open(sys.argv[1], 'wb')",
      "out.write(b'x' * 2 * 1024 * 1024); out.flush(); os.fsync(out.fileno())",
      'time.sleep(30)',
    ].join('\n');
    writeFileSync(
      join(dir, 'proctor.yaml'),
      [
        'programs:',
        '  api:',
        '    command: exec sleep 30',
        '    replicas: 2',
        '    readiness_probe: { exec: { command: "true" }, period: 50 }',
        '  writer:',
        `    command: [python3, -c, ${JSON.stringify(writer)}, ${join(dir, 'out')}]`,
        '',
      ].join('\n'),
    );
    await programs.load(join(dir, 'proctor.yaml'));
    const samples = await tickUntil(
      monitor,
      scrape,
      (s) =>
        s.filter((x) => x.name === 'proctor_program_healthy' && x.value === 1).length === 2 &&
        // The writer's family may not be in the first ticks yet on a loaded machine, so absent means not yet.
        s.some(
          (x) =>
            x.name === 'namedprocess_namegroup_write_bytes_total' &&
            x.labels.groupname === 'writer' &&
            x.value >= 2 * 1024 * 1024,
        ),
    );
    expect(samples.filter((s) => s.name === 'proctor_program_up').map((s) => s.labels)).toEqual([
      { program: 'api', replica: '0' },
      { program: 'api', replica: '1' },
      { program: 'writer' },
    ]);
    const api1 = { program: 'api', replica: '1' };
    expect(sampleOf(samples, 'proctor_program_state', { ...api1, state: 'healthy' })).toBe(1);
    expect(sampleOf(samples, 'proctor_program_state', { ...api1, state: 'running' })).toBe(0);
    expect(sampleOf(samples, 'proctor_program_state', { program: 'writer', state: 'running' })).toBe(1);
    expect(samples.some((s) => s.name === 'proctor_program_healthy' && s.labels.program === 'writer')).toBe(
      false,
    );
    expect(sampleOf(samples, 'namedprocess_namegroup_num_procs', { groupname: 'api', replica: '0' })).toBe(1);
    // stdin, stdout, stderr and its file at least.
    expect(
      sampleOf(samples, 'namedprocess_namegroup_open_filedesc', { groupname: 'writer' }),
    ).toBeGreaterThanOrEqual(4);
    expect(
      sampleOf(samples, 'namedprocess_namegroup_read_bytes_total', { groupname: 'writer' }),
    ).toBeGreaterThanOrEqual(0);
  });

  it('reads no process table of its own: scrapes between ticks cause no sample', async () => {
    const { source, monitor, scrape } = backend();
    await monitor.tick();
    const before = source.samples;
    for (let i = 0; i < 5; i++) await scrape();
    expect(source.samples).toBe(before);
  });
});
