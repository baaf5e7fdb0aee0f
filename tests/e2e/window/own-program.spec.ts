// A user's own Python program gets the lessons' view: select it and the details panel shows its
// family — the Pool's workers and the Manager's server — with the pipes and sockets between them.
import { join } from 'node:path';
import type { FamilyGraph } from '../../../shared/model';
import { test, expect } from '../harness';
import { screenshotPath } from '../screenshots';
import { FIXTURES, filterTo, openApp, removeAllChildren, rowOf, PYTHON } from './helpers';

test.afterEach(async ({ backend }) => removeAllChildren(backend));

test("a user's program with a Manager and a Pool(2) shows its family with IPC edges", async ({
  page,
  backend,
}) => {
  const child = await backend.call('children:start', {
    command: PYTHON,
    args: [join(FIXTURES, 'my_script.py')],
    name: 'my-script',
  });
  // The workers are forked before they open their pipes' ends and connect to the Manager: under load
  // the graph can show all four processes a moment before any IPC edge.
  let graph: FamilyGraph | undefined;
  await expect
    .poll(async () => {
      graph = await backend.call('family:graph', { id: child.id });
      return { nodes: graph.nodes.length, kinds: new Set(graph.edges.map((edge) => edge.kind)) };
    })
    .toEqual({ nodes: 4, kinds: new Set(['parent', 'pipe', 'socket']) });
  expect(graph!.edges.filter((edge) => edge.kind === 'parent' && edge.from === child.pid)).toHaveLength(3);

  await openApp(page, backend);
  await filterTo(page, 'my_script.py');
  await rowOf(page, child.pid!).click();
  const family = page.getByRole('img', { name: /^Family of my-script: 4 processes, [1-9]\d* IPC edges$/ });
  await expect(family).toBeVisible();
  await family.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('own-program-family') });

  // Pointing at one process brings out its own edges and fades the others.
  const worker = graph!.edges.find((edge) => edge.kind === 'parent' && edge.from === child.pid)!.to;
  await family.locator(`g.node[data-pid="${worker}"]`).hover();
  const own = family.locator(`[data-from="${worker}"], [data-to="${worker}"]`);
  await expect(own.first()).toHaveClass(/near/);
  await expect(own.first()).toHaveCSS('opacity', '1');
  const others = family.locator(`.edge-ipc:not([data-from="${worker}"]):not([data-to="${worker}"])`);
  expect(await others.count()).toBeGreaterThan(0);
  await expect(others.first()).toHaveCSS('opacity', '0.12');
  await family.screenshot({ path: screenshotPath('family-pointed') });
  await page.mouse.move(0, 0);
  await expect(others.first()).toHaveCSS('opacity', '1');
});
