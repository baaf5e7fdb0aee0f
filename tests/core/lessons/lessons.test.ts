// Every lesson, for real: its Python program under the Supervisor, watched by the Monitor, and its
// own checks, which must all pass. Each must finish within 10 s.
import { describe, expect, it } from 'vitest';
import type { LessonRun } from '../../../shared/model';
import { call, lessonService } from './helpers';

const service = lessonService();

describe('lessons', () => {
  it('lists 13 lessons with texts in both languages and their code', async () => {
    const listed = await service().invoke('lessons:list', {});
    expect(listed.ok).toBe(true);
    const value = (
      listed as {
        ok: true;
        value: {
          python: { found: boolean };
          lessons: Array<{ id: string; number: number; text: Record<string, { title: string }> }>;
        };
      }
    ).value;
    expect(value.python.found).toBe(true);
    expect(value.lessons.map((l) => l.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    for (const lesson of value.lessons) {
      expect(lesson.text.en?.title.length).toBeGreaterThan(0);
      expect(lesson.text['zh-CN']?.title).toMatch(/[\u4e00-\u9fff]|Process/);
    }
    expect((await call(service(), 'lessons:get', { id: '10-pool' })).code).toContain('Pool(3)');
    expect((await service().invoke('lessons:get', { id: 'nope' })).ok).toBe(false);
  });

  // Every lesson's own checks are run from the window, in tests/e2e/lessons/lessons.spec.ts; here one run
  // shows what the backend promises of any run.
  it('a run is heard starting and ending, and the monitor goes back to the user interval', async () => {
    const events: LessonRun[] = [];
    const off = service().on('lesson:run', (run) => events.push(run));
    const run = await call(service(), 'lessons:run', { id: '02-subclass' });
    off();
    expect(run.checks.filter((c) => !c.passed)).toEqual([]);
    expect(run.state).toBe('passed');
    expect(events.map((e) => e.state)).toEqual(['running', 'passed']);
    expect(service().monitor.stats().intervalMs).toBe(service().settings.get().intervalMs);
  });

  it('refuses a second lesson while one runs', async () => {
    const started = new Promise<void>((resolve) => {
      const off = service().on('lesson:run', (run) => {
        if (run.state === 'running') {
          off();
          resolve();
        }
      });
    });
    const first = service().invoke('lessons:run', { id: '04-data-isolation' });
    await started;
    const second = await service().invoke('lessons:run', { id: '01-process-args' });
    expect(!second.ok && second.error.code, JSON.stringify(second)).toBe('E_STATE');
    const firstResult = await first;
    expect(firstResult.ok, JSON.stringify(firstResult)).toBe(true);
  });

  it("a re-run replaces the lesson's last finished run: every window hears it removed", async () => {
    const before = await call(service(), 'lessons:run', { id: '04-data-isolation' });
    const removed: string[] = [];
    const off = service().on('child:removed', ({ id }) => removed.push(id));
    const again = await call(service(), 'lessons:run', { id: '04-data-isolation' });
    off();
    expect(removed).toEqual([before.childId]);
    const listed = await call(service(), 'children:list', {});
    expect(listed.map((child) => child.id)).toContain(again.childId);
    expect(listed.map((child) => child.id)).not.toContain(before.childId);
    // Other lessons' runs stay until removed.
    expect(listed.filter((child) => child.name.startsWith('lesson ')).length).toBeGreaterThan(1);
  });
});
