// A lesson leases the monitor's fastest interval for its run. The user may change the setting while it
// runs: the lesson keeps its pace, and the user's new interval is the one in force once it has ended.
import { describe, expect, it } from 'vitest';
import { INTERVAL_MS } from '../../../shared/limits';
import { call, lessonService } from './helpers';

const service = lessonService();

describe('the interval lease of a lesson run', () => {
  it("keeps the lesson's interval through a settings change; the user's returns when it ends", async () => {
    expect((await call(service(), 'monitor:stats', {})).intervalMs).toBe(INTERVAL_MS.default);
    const started = new Promise<void>((resolve) => {
      const off = service().on('lesson:run', (run) => {
        if (run.state !== 'running') return;
        off();
        resolve();
      });
    });
    const run = call(service(), 'lessons:run', { id: '04-data-isolation' });
    await started;
    expect((await call(service(), 'monitor:stats', {})).intervalMs).toBe(INTERVAL_MS.min);

    const changed = await call(service(), 'settings:set', { intervalMs: 2000 });
    expect(changed.intervalMs).toBe(2000);
    expect((await call(service(), 'monitor:stats', {})).intervalMs).toBe(INTERVAL_MS.min);

    const finished = await run;
    expect(finished.state).toBe('passed');
    expect((await call(service(), 'monitor:stats', {})).intervalMs).toBe(2000);
  });
});
