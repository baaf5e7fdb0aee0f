// terminate(grace): SIGTERM to the group, SIGKILL when the grace runs out, and the timeline of it.
import { describe, expect, it } from 'vitest';
import type { StopTimelineEvent } from '../../../shared/model';
import { outputLine, sh, supervisors } from './helpers';

const make = supervisors();
const GRACE_MS = 500;
/**
 * How late the SIGKILL may come and still be the grace's: far below any other grace (the default is
 * seconds) and wide enough for a loaded 2-core machine, where a timer can fire hundreds of ms late.
 */
const SLACK_MS = 2000;

function timelineOf(child: {
  on(event: 'stopTimeline', listener: (event: StopTimelineEvent) => void): unknown;
}) {
  const events: StopTimelineEvent[] = [];
  child.on('stopTimeline', (event) => events.push(event));
  return events;
}

describe('terminate with a grace period', () => {
  it('SIGKILLs a child that ignores SIGTERM once the grace is over', async () => {
    const child = await make().start(sh("trap '' TERM; echo ready; sleep 1000"));
    await outputLine(child, /^ready$/);
    const timeline = timelineOf(child);

    const started = performance.now();
    await child.terminate(GRACE_MS);
    const stopMs = performance.now() - started;
    console.log(`grace: stop took ${stopMs.toFixed(0)} ms for a ${GRACE_MS} ms grace`);

    expect(child.exitcode).toBe(-9);
    expect(stopMs).toBeGreaterThanOrEqual(GRACE_MS - 5);
    expect(stopMs).toBeLessThanOrEqual(GRACE_MS + SLACK_MS);
    expect(timeline.map((event) => event.phase)).toEqual(['sigterm', 'grace', 'sigkill', 'exited']);
    const [sigterm, grace, sigkill, exited] = timeline;
    expect(sigterm!.deadline! - sigterm!.at).toBe(GRACE_MS);
    // "Grace period over" is stamped when the grace ran out, not when SIGTERM went.
    expect(grace!.at).toBeGreaterThanOrEqual(sigterm!.deadline! - 1);
    expect(sigkill!.at).toBeGreaterThanOrEqual(grace!.at);
    expect(exited!.exitcode).toBe(-9);
  });

  it('a child that handles SIGTERM exits with its own code, before the grace', async () => {
    const child = await make().start(sh("trap 'exit 3' TERM; echo ready; sleep 1000 & wait"));
    await outputLine(child, /^ready$/);
    const timeline = timelineOf(child);

    const started = performance.now();
    await child.terminate(5000);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(child.exitcode).toBe(3);
    // The grace never ran out, so the timeline says only when it exited.
    expect(timeline.map((event) => event.phase)).toEqual(['sigterm', 'exited']);
  });

  it('a child with the default SIGTERM action exits -15 before the grace', async () => {
    const child = await make().start({ command: 'sleep', args: ['1000'], graceMs: 5000 });
    const started = performance.now();
    await child.terminate();
    expect(performance.now() - started).toBeLessThan(5000);
    expect(child.exitcode).toBe(-15);
  });

  it('uses the spec graceMs when terminate is given none', async () => {
    const child = await make().start({ ...sh("trap '' TERM; echo ready; sleep 1000"), graceMs: 300 });
    await outputLine(child, /^ready$/);
    const timeline = timelineOf(child);
    await child.terminate();
    expect(timeline[0]!.deadline! - timeline[0]!.at).toBe(300);
    expect(child.exitcode).toBe(-9);
  });

  it('kill during the grace escalates at once', async () => {
    const child = await make().start(sh("trap '' TERM; echo ready; sleep 1000"));
    await outputLine(child, /^ready$/);
    const stopping = child.terminate(10_000);
    const started = performance.now();
    await child.kill();
    await stopping;
    expect(performance.now() - started).toBeLessThan(5000);
    expect(child.exitcode).toBe(-9);
  });
});
