// The lesson editor in Chromium against real headless backends: an edited lesson runs as edited and its
// checks say what they saw, the original is one click away, edits live in the state dir across a backend
// restart, a syntax error is shown at its line, a runaway script is stopped at its time limit with its
// whole family, and the family view draws the objects a script shares (a Lock, a Value).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { test, expect, startBackend, stopBackend, type Backend } from '../harness';
import { screenshotPath } from '../screenshots';
import { PYTHON } from '../window/helpers';

/** Each test's backend keeps the learner's edits in a state dir of its own, never the user's. */
function stateDir(): string {
  return mkdtempSync(join(tmpdir(), 'proctor-e2e-state-'));
}

async function openLesson(page: Page, backend: Backend, number: number): Promise<void> {
  await page.goto(backend.url);
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await page
    .getByRole('navigation', { name: 'Lessons' })
    .getByRole('button', { name: new RegExp(`^${number} `) })
    .click();
  await expect(page.getByRole('heading', { level: 3 })).toContainText(`${number}. `);
}

function editor(page: Page, name: string | RegExp): Locator {
  return page.getByRole('textbox', { name });
}

/**
 * A paste, as the clipboard delivers it: the editor's own paste handler takes the text. (Chromium's
 * insertText would go through its editing engine, which styles inline and so trips the page's CSP.)
 */
async function paste(box: Locator, text: string): Promise<void> {
  await box.evaluate((element, pasted) => {
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    element.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, text);
}

/** Replaces the editor's whole text: select all, paste. */
async function replaceCode(page: Page, box: Locator, code: string): Promise<void> {
  await box.click();
  await page.keyboard.press('Control+A');
  await paste(box, code);
}

/** The interpreter itself, not a pyenv shim whose start can outlast the probe on a loaded machine. */
async function usePython(backend: Backend): Promise<void> {
  await backend.call('settings:set', { pythonPath: PYTHON });
}

async function finishedRun(page: Page): Promise<Locator> {
  const result = page.locator('[data-run-state]');
  await expect(result).toHaveAttribute('data-run-state', /passed|failed/, { timeout: 40_000 });
  return result;
}

/** The same screen in both themes and both languages; each one is looked at. */
async function shootFourWays(page: Page, backend: Backend, name: string, target?: Locator): Promise<void> {
  try {
    for (const language of ['en', 'zh-CN'] as const) {
      await backend.call('settings:set', { language });
      await expect(page.locator('html')).toHaveAttribute('lang', language);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        const path = screenshotPath(`${name}-${language}-${scheme}`);
        await (target ?? page).screenshot({ path });
      }
    }
  } finally {
    await backend.call('settings:set', { language: 'en' });
    await page.emulateMedia({ colorScheme: 'light' });
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test.describe('lesson editor', () => {
  // Real lesson runs, two in one test, on a machine that may be busy.
  test.describe.configure({ timeout: 180_000 });
  let backend: Backend;
  test.beforeAll(async () => {
    backend = await startBackend({ env: { XDG_STATE_HOME: stateDir() } });
    await usePython(backend);
  });
  test.afterAll(async () => stopBackend(backend));

  test('lesson 6 without lock.acquire()/release() fails showing the oversold count; the original passes again', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1400, height: 1600 });
    await openLesson(page, backend, 6);
    await page.getByRole('button', { name: 'View code' }).click();
    const code = editor(page, 'Python source of lesson 6');
    await expect(code).toContainText('lock.acquire()');
    const original = (await backend.call('lessons:get', { id: '06-lock-tickets' })).code;
    const unlocked = original
      .split('\n')
      .filter((line) => !/^\s+lock\.(acquire|release)\(\)/.test(line))
      .join('\n');
    expect(unlocked).not.toContain('lock.acquire()');
    await replaceCode(page, code, unlocked);
    await expect(page.getByText('edited: your version runs')).toBeVisible();
    await expect(code).not.toContainText('lock.acquire()');

    // The try-this asks about the check the change breaks; the learner predicts it fails.
    const tryThis = page.getByRole('region', { name: 'Try this' });
    await expect(tryThis).toContainText('Remove the lines lock.acquire() and lock.release()');
    await tryThis.getByRole('radio', { name: 'fail' }).check();
    await page.locator('.editor-box').screenshot({ path: screenshotPath('lesson-editor-en-light') });

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const result = await finishedRun(page);
    await expect(result).toHaveAttribute('data-run-state', 'failed');
    await expect(result).toHaveAttribute('data-edited', 'true');
    const withLock = result.locator('li.failed', { hasText: 'With the lock exactly the stock was sold' });
    await expect(withLock).toContainText(/sold \d+ tickets for 5 seats: oversold by [1-9]/);
    await expect(tryThis.getByRole('status')).toHaveText('Your prediction matched: it failed.');
    await shootFourWays(page, backend, 'lesson-6-edited-failed');

    await page.getByRole('button', { name: 'Restore the original' }).click();
    await expect(code).toContainText('lock.acquire()');
    await expect(page.getByText('the lesson as shipped')).toBeVisible();
    expect((await backend.call('lessons:get', { id: '06-lock-tickets' })).edited).toBeNull();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.locator('[data-run-state]')).toHaveAttribute('data-edited', 'false', {
      timeout: 40_000,
    });
    await expect(page.locator('[data-run-state]')).toHaveAttribute('data-run-state', 'passed');
    await expect(tryThis.getByRole('status')).toHaveText('Not what you predicted: it passed.');
  });

  test('a syntax error is shown at its line in the editor, and nothing runs', async ({ page }) => {
    await openLesson(page, backend, 1);
    await page.getByRole('button', { name: 'View code' }).click();
    const code = editor(page, 'Python source of lesson 1');
    await replaceCode(page, code, 'import os\n\ndef broken(:\n    pass\n');
    const before = (await backend.call('children:list', {})).length;
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const result = await finishedRun(page);
    await expect(result).toHaveAttribute('data-run-state', 'failed');
    await expect(result.getByRole('alert')).toContainText('Syntax error at line 3, column');
    const marked = page.locator('.cm-line[data-syntax-line]');
    await expect(marked).toHaveAttribute('data-syntax-line', '3');
    await expect(marked).toContainText('def broken(:');
    await expect(page.locator('.cm-syntax-message')).toContainText('line 3:');
    expect((await backend.call('children:list', {})).length).toBe(before);
    await page.locator('.editor-box').screenshot({ path: screenshotPath('lesson-editor-syntax-error') });
    // Any change clears the mark: the code is no longer what Python refused.
    await marked.click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await expect(page.locator('.cm-line[data-syntax-line]')).toHaveCount(0);
    await backend.call('lessons:restore', { id: '01-process-args' });
  });

  test('a script that never ends is stopped at its time limit with its whole family', async ({ page }) => {
    await page.goto(backend.url);
    await page.getByRole('tab', { name: 'Lessons' }).click();
    await page.getByRole('button', { name: 'Your own script' }).click();
    const code = editor(page, 'Your Python script');
    await replaceCode(
      page,
      code,
      [
        'from multiprocessing import Process',
        'def spin():',
        '    while True:',
        '        pass',
        "if __name__ == '__main__':",
        '    for _ in range(2):',
        '        child = Process(target=spin)',
        '        child.start()',
        "        print('child', child.pid, flush=True)",
        '    spin()',
        '',
      ].join('\n'),
    );
    await page.getByRole('spinbutton', { name: 'Time limit (s)' }).fill('3');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const result = await finishedRun(page);
    await expect(result).toHaveAttribute('data-run-state', 'failed');
    await expect(result.getByRole('alert')).toContainText('Stopped at the time limit of 3.0 s');
    const child = (await backend.call('children:list', {}))
      .filter((c) => c.name === 'lesson own-script')
      .at(-1)!;
    const graph = await backend.call('family:graph', { id: child.id });
    const pids = graph.nodes.map((node) => node.pid);
    // The program and its two spinning children were all seen, and none is left.
    expect(pids.length).toBeGreaterThanOrEqual(3);
    expect(pids.filter(alive)).toEqual([]);
  });

  test('your own script, opened from a file: the family view draws its shared Lock and Value', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1400, height: 1400 });
    const folder = mkdtempSync(join(tmpdir(), 'proctor-e2e-script-'));
    const script = join(folder, 'counter.py');
    writeFileSync(
      script,
      [
        'import time',
        'from multiprocessing import Lock, Process, Value',
        '',
        'def add(lock, total):',
        '    for _ in range(50):',
        '        lock.acquire()',
        '        total.value += 1',
        '        lock.release()',
        '        time.sleep(0.02)',
        '',
        "if __name__ == '__main__':",
        '    lock = Lock()',
        "    total = Value('i', 0, lock=False)",
        '    workers = [Process(target=add, args=(lock, total)) for _ in range(3)]',
        '    for w in workers:',
        '        w.start()',
        '    for w in workers:',
        '        w.join()',
        "    print('total', total.value)",
        '',
      ].join('\n'),
    );
    await page.goto(backend.url);
    await page.getByRole('tab', { name: 'Lessons' }).click();
    await page.getByRole('button', { name: 'Your own script' }).click();
    await page.locator('input[type="file"]').setInputFiles(script);
    await expect(editor(page, 'Your Python script')).toContainText("total = Value('i', 0, lock=False)");
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const result = await finishedRun(page);
    await expect(result).toHaveAttribute('data-run-state', 'passed');
    // No checks for one's own script: only whether it ran to its end.
    await expect(result.getByRole('listitem')).toHaveCount(1);

    const view = page.getByRole('img', { name: /^Family of/ });
    const main = await view.locator('g.node').first().getAttribute('data-pid');
    const workers = await view
      .locator('g.node')
      .evaluateAll((nodes) => nodes.slice(1).map((n) => n.getAttribute('data-pid')));
    const holders = [main, ...workers]
      .map(Number)
      .sort((a, b) => a - b)
      .join(' ');
    for (const kind of ['lock', 'value']) {
      const object = view.locator(`g.object[data-object-kind="${kind}"]`);
      await expect(object).toHaveCount(1);
      await expect(object).toHaveAttribute('data-holders', holders);
      await expect(view.locator(`path[data-edge-kind="object"][data-object^="shm:"]`)).toHaveCount(8);
    }
    await expect(view.locator('g.object[data-object-kind="lock"]')).toContainText(
      'Lock shared by 4 processes',
    );
    await expect(view.locator('g.object[data-object-kind="value"]')).toContainText(
      'Value/Array shared by 4 processes',
    );
    await expect(view.locator('g.node').nth(1)).toContainText('fork child');
    await shootFourWays(page, backend, 'family-lock-and-value', page.locator('.family-section'));
  });
});

test('an edit survives a backend restart', async ({ browser }) => {
  test.setTimeout(180_000);
  const state = stateDir();
  const first = await startBackend({ env: { XDG_STATE_HOME: state } });
  await usePython(first);
  const page = await browser.newPage();
  try {
    await openLesson(page, first, 2);
    await page.getByRole('button', { name: 'View code' }).click();
    const code = editor(page, 'Python source of lesson 2');
    await code.click();
    await page.keyboard.press('Control+Home');
    await paste(code, '# my note: run() is what the child runs\n');
    await expect
      .poll(async () => (await first.call('lessons:get', { id: '02-subclass' })).edited)
      .toContain('# my note');
  } finally {
    await page.close();
    await stopBackend(first);
  }
  const second = await startBackend({ env: { XDG_STATE_HOME: state } });
  const again = await browser.newPage();
  try {
    await openLesson(again, second, 2);
    await again.getByRole('button', { name: 'View code' }).click();
    await expect(editor(again, 'Python source of lesson 2')).toContainText(
      '# my note: run() is what the child runs',
    );
    await expect(again.getByText('edited: your version runs')).toBeVisible();
  } finally {
    await again.close();
    await stopBackend(second);
  }
});
