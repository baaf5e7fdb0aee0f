// Python's process families made visible: a Pool(3)'s workers under their parent, and a zombie's Z mark.
import { join } from 'node:path';
import { test, expect } from '../harness';
import { FIXTURES, childRowsOf, filterTo, openApp, removeAllChildren, rowOf, PYTHON } from './helpers';

test.afterEach(async ({ backend }) => removeAllChildren(backend));

test('a multiprocessing.Pool(3) shows three workers under its parent', async ({ page, backend }) => {
  const child = await backend.call('children:start', {
    command: PYTHON,
    args: [join(FIXTURES, 'pool3.py')],
    name: 'pool3',
  });
  await openApp(page, backend);
  await filterTo(page, 'pool3.py');
  const parent = rowOf(page, child.pid!);
  await expect(parent).toBeVisible();
  await expect(parent.getByText('supervised')).toBeVisible();
  await expect.poll(async () => (await childRowsOf(page, parent)).length).toBe(3);
  for (const worker of await childRowsOf(page, parent)) {
    await expect(worker).toContainText('python3');
    await expect(worker.getByText('family')).toBeVisible();
  }
});

test('an unjoined child shows the Z mark: its parent has not waited', async ({ page, backend }) => {
  const child = await backend.call('children:start', {
    command: PYTHON,
    args: [join(FIXTURES, 'zombie.py')],
    name: 'zombie-maker',
  });
  await openApp(page, backend);
  await page.getByRole('button', { name: 'Supervised only' }).click();
  const parent = rowOf(page, child.pid!);
  await expect(parent).toBeVisible();
  await expect.poll(async () => (await childRowsOf(page, parent)).length).toBe(1);
  const [zombie] = await childRowsOf(page, parent);
  await expect(zombie!.getByRole('gridcell').nth(3)).toHaveText('Z zombie');
  await expect(zombie!.getByTitle(/parent has not joined\/waited/)).toHaveText(/^Z/);
});
