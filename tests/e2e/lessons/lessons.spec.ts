// Every lesson run from the Lessons panel in Chromium against the real headless backend: its checks
// pass, the family it promises is there (in the family view and in `family:graph`), and it takes ≤ 10 s.
import type { Page } from '@playwright/test';
import type { FamilyEdge, FamilyGraph } from '../../../shared/model';
import { test, expect, type Backend } from '../harness';
import { screenshotPath } from '../screenshots';
import { removeAllChildren } from '../window/helpers';

interface Family {
  graph: FamilyGraph;
  main: number;
  kids: number[];
  ipc: (kind: FamilyEdge['kind']) => FamilyEdge[];
}

interface Case {
  id: string;
  title: string;
  /** What the lesson promises about its family, asserted on the run's recorded graph. */
  shape: (family: Family) => void;
  screenshot?: 'panel' | 'family';
}

const touches = (edge: FamilyEdge, pid: number) => edge.from === pid || edge.to === pid;

const CASES: Case[] = [
  { id: '01-process-args', title: 'Process with arguments', shape: (f) => expect(f.kids).toHaveLength(1) },
  { id: '02-subclass', title: 'Subclassed Process', shape: (f) => expect(f.kids).toHaveLength(1) },
  { id: '03-many-children', title: 'Many children, joined', shape: (f) => expect(f.kids).toHaveLength(10) },
  { id: '04-data-isolation', title: 'Data isolation', shape: (f) => expect(f.kids).toHaveLength(1) },
  { id: '05-daemon-terminate', title: 'Daemon vs terminate', shape: (f) => expect(f.kids).toHaveLength(2) },
  {
    id: '06-lock-tickets',
    title: 'Lock: buying tickets',
    shape: (f) => expect(f.kids).toHaveLength(20),
    screenshot: 'panel',
  },
  {
    id: '07-queue',
    title: 'Queue',
    shape: (f) => {
      expect(f.kids).toHaveLength(2);
      // The Queue's pipe: one inode shared by the consumer and both producers.
      const shared = f.ipc('pipe').filter((e) => !e.directed && touches(e, f.main));
      expect(new Set(shared.map((e) => (e.from === f.main ? e.to : e.from)))).toEqual(new Set(f.kids));
    },
  },
  {
    id: '08-pipe',
    title: 'Pipe',
    shape: (f) => {
      expect(f.kids).toHaveLength(1);
      expect(f.ipc('socket').filter((e) => touches(e, f.main) && touches(e, f.kids[0]!))).not.toHaveLength(0);
    },
  },
  {
    id: '09-manager',
    title: 'Manager',
    shape: (f) => {
      // The Manager's server and 2 × 20 workers, each worker with a socket to the server.
      expect(f.kids).toHaveLength(41);
      const server = f.kids.find((pid) => f.ipc('socket').filter((e) => touches(e, pid)).length >= 20);
      expect(server, 'a child with sockets to the workers').toBeDefined();
    },
    screenshot: 'family',
  },
  {
    id: '10-pool',
    title: 'Pool',
    shape: (f) => {
      expect(f.kids).toHaveLength(3);
      for (const worker of f.kids) {
        const pipes = f.ipc('pipe').filter((e) => e.directed && touches(e, worker) && touches(e, f.main));
        // Tasks flow to the worker and results back: both directions.
        expect(pipes.some((e) => e.from === f.main)).toBe(true);
        expect(pipes.some((e) => e.to === f.main)).toBe(true);
      }
    },
    screenshot: 'panel',
  },
  {
    id: '11-executor',
    title: 'ProcessPoolExecutor',
    shape: (f) => {
      expect(f.kids).toHaveLength(3);
      for (const worker of f.kids) expect(f.ipc('pipe').some((e) => touches(e, worker))).toBe(true);
    },
  },
  {
    id: '12-zombie',
    title: 'Zombie',
    shape: (f) => {
      expect(f.kids).toHaveLength(1);
      expect(f.graph.nodes.find((n) => n.pid === f.kids[0])?.state).toBe('Z');
    },
    screenshot: 'panel',
  },
  {
    id: '13-orphan',
    title: 'Orphan',
    shape: (f) => {
      const ghost = f.graph.nodes.find((n) => n.ghost);
      expect(ghost, 'the dead parent as a ghost').toBeDefined();
      expect(f.kids).toEqual([ghost!.pid]);
      expect(f.graph.edges.filter((e) => e.kind === 'parent' && e.from === ghost!.pid)).toHaveLength(1);
    },
    screenshot: 'panel',
  },
];

async function openLessons(page: Page, backend: Backend): Promise<void> {
  await page.goto(backend.url);
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await expect(page.getByRole('navigation', { name: 'Lessons' }).getByRole('button')).toHaveCount(13);
}

async function familyOf(backend: Backend, id: string): Promise<Family> {
  const children = await backend.call('children:list', {});
  const child = children.filter((c) => c.name === `lesson ${id}`).at(-1)!;
  const graph = await backend.call('family:graph', { id: child.id });
  const kids = graph.edges.filter((e) => e.kind === 'parent' && e.from === child.pid).map((e) => e.to);
  return { graph, main: child.pid!, kids, ipc: (kind) => graph.edges.filter((e) => e.kind === kind) };
}

/** The enlarged family view in the middle of the run: the Manager, its server and a round of 20 workers. */
async function shootLiveFamily(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Enlarge' }).click();
  const view = page.getByRole('dialog').getByRole('img', { name: /^Family of/ });
  await expect
    .poll(() => view.locator('g.node').count(), { timeout: 8000, intervals: [50] })
    .toBeGreaterThanOrEqual(22);
  await page.getByRole('dialog').screenshot({ path: screenshotPath(name) });
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
}

/**
 * The Manager's server talks to 40 workers: the view tells those links in words on each box instead of
 * 40 crossing lines, and draws one while its worker is pointed at.
 */
async function expectHubInWords(page: Page, family: Family): Promise<void> {
  const sockets = family.ipc('socket');
  const server = family.kids.find((pid) => sockets.filter((e) => touches(e, pid)).length >= 20)!;
  const view = page.getByRole('img', { name: /^Family of/ });
  await expect(view.locator(`g.node[data-pid="${server}"]`)).toContainText(/\d+ sockets/);
  const worker = family.kids.find(
    (pid) => pid !== server && sockets.some((e) => touches(e, pid) && touches(e, server)),
  )!;
  const box = view.locator(`g.node[data-pid="${worker}"]`);
  await expect(box).toContainText(`socket to ${server}`);
  const link = view.locator(
    `g.edge-ipc.hub[data-edge-kind="socket"][data-from="${Math.min(worker, server)}"][data-to="${Math.max(worker, server)}"]`,
  );
  // The Run button's click leaves the pointer where the family view then draws, perhaps on one of the
  // two ends: the pointer crosses the view's blank corner and leaves it, as a user's would.
  await view.hover({ position: { x: 2, y: 2 } });
  await page.mouse.move(0, 0);
  await expect(link).toBeHidden();
  await box.hover();
  await expect(link).toBeVisible();
  await page.screenshot({ path: screenshotPath('lesson-9-hub-pointed') });
  await page.mouse.move(0, 0);
  await expect(link).toBeHidden();
}

test.describe('lessons', () => {
  // Each lesson's screenshot shows its own run, not the finished runs of the lessons before it.
  test.afterEach(async ({ backend }) => removeAllChildren(backend));

  for (const [index, lesson] of CASES.entries()) {
    test(`lesson ${index + 1}: ${lesson.title}`, async ({ page, backend }) => {
      if (lesson.screenshot) await page.setViewportSize({ width: 1400, height: 1500 });
      await openLessons(page, backend);
      await page
        .getByRole('navigation', { name: 'Lessons' })
        .getByRole('button', { name: new RegExp(`^${index + 1} ${lesson.title}`) })
        .click();
      await expect(page.getByRole('heading', { level: 3 })).toContainText(lesson.title);
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      if (lesson.screenshot === 'family') await shootLiveFamily(page, `lesson-${index + 1}-family`);

      const result = page.locator('[data-run-state]');
      await expect(result).toBeVisible({ timeout: 20_000 });
      const checks = result.getByRole('list', { name: 'Checks' }).getByRole('listitem');
      const failed = await result.locator('li.failed').allInnerTexts();
      expect(failed, 'failed checks').toEqual([]);
      await expect(result).toHaveAttribute('data-run-state', 'passed');
      expect(await checks.count()).toBeGreaterThanOrEqual(2);
      const took = await result.getAttribute('data-duration-ms');
      expect(took, 'the run reports its time').toMatch(/^\d+$/);
      const ms = Number(took);
      console.log(`lesson ${index + 1} ${lesson.id}: passed in ${ms} ms (${await checks.count()} checks)`);
      expect(ms).toBeLessThanOrEqual(10_000);

      const family = await familyOf(backend, lesson.id);
      test.info().annotations.push({ type: 'family', description: JSON.stringify(family.graph) });
      lesson.shape(family);
      // The family view draws what the backend recorded: one box per process, every IPC kind it found.
      const view = page.getByRole('img', { name: /^Family of/ });
      await expect(view.locator('g.node')).toHaveCount(family.graph.nodes.length);
      for (const kind of ['pipe', 'socket'] as const) {
        if (family.ipc(kind).length > 0)
          await expect(view.locator(`[data-edge-kind="${kind}"]`).first()).toBeAttached();
      }
      if (lesson.id === '12-zombie') await expect(view.locator('g.node.zombie')).toHaveCount(1);
      if (lesson.id === '09-manager') await expectHubInWords(page, family);
      if (lesson.id === '13-orphan') {
        await expect(view.locator('g.node.ghost')).toHaveCount(1);
        await expect(view.locator('g.node.orphan')).toHaveCount(1);
      }

      if (lesson.screenshot === 'panel') {
        await page.screenshot({ path: screenshotPath(`lesson-${index + 1}`) });
      }
    });
  }

  test('without Python the panel says how to get it, Run is off until Settings names an interpreter', async ({
    page,
    backend,
  }) => {
    await backend.call('settings:set', { pythonPath: '/nope/python3' });
    try {
      await openLessons(page, backend);
      await expect(page.getByRole('alert')).toContainText('Python was not found');
      await expect(page.getByRole('alert')).toContainText('sudo apt install python3');
      await expect(page.getByRole('alert')).toContainText('or set the interpreter in Settings');
      await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeDisabled();
      await page.getByRole('button', { name: 'View code' }).click();
      await expect(page.getByLabel('Python source of lesson 1')).toContainText('Process(target=greet');

      await page.getByRole('tab', { name: 'Settings' }).click();
      const interpreter = page.getByRole('textbox', { name: 'Python interpreter (for lessons)' });
      await expect(interpreter).toHaveValue('/nope/python3');
      await interpreter.fill('python3');
      await interpreter.press('Enter');
      await expect.poll(async () => (await backend.call('settings:get', {})).pythonPath).toBe('python3');
      await page.getByRole('tab', { name: 'Lessons' }).click();
      await expect(page.getByRole('alert')).toHaveCount(0);
      await expect(page.getByText(/^Python 3\.\d+\.\d+ at /)).toBeVisible();
      await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
    } finally {
      await backend.call('settings:set', { pythonPath: '' });
    }
  });

  test('lesson titles, and the checks of a run that has ended, follow the language setting', async ({
    page,
    backend,
  }) => {
    await openLessons(page, backend);
    await page.getByRole('navigation', { name: 'Lessons' }).getByRole('button', { name: /^4 / }).click();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const result = page.locator('[data-run-state]');
    await expect(result).toHaveAttribute('data-run-state', 'passed', { timeout: 20_000 });
    await expect(result).toContainText('The program exited with 0');

    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    try {
      await page.getByRole('tab', { name: '课程' }).click();
      await expect(page.getByRole('navigation', { name: '课程列表' })).toContainText('带参数的 Process');
      await expect(page.getByRole('button', { name: '运行', exact: true })).toBeVisible();
      await expect(result).toContainText('程序以 0 退出');
      await page.screenshot({ path: screenshotPath('lessons-zh-CN') });
    } finally {
      await backend.call('settings:set', { language: 'en' });
    }
  });
});
