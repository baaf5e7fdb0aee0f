// Replacing a file whole: writes of one file at once each land whole, and a failed write changes nothing.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EditStore } from '../../electron/core/lessons/edits';
import { writeWhole, writeWholeSync } from '../../electron/core/write-whole';

const scratch = () => mkdtempSync(join(tmpdir(), 'proctor-whole-'));

describe('writing a file whole', () => {
  it('two saves of one lesson at once both succeed, and the file is one of them whole', async () => {
    const store = new EditStore(scratch());
    const texts = Array.from({ length: 8 }, (_, i) => `print(${i})\n`.repeat(1000));
    await Promise.all(texts.map((text) => store.save('01-process-args', text)));
    expect(texts).toContain(await store.get('01-process-args'));
    expect(readdirSync(store.dir)).toEqual(['01-process-args.py']);
  });

  it('a write that fails leaves the old file as it was and no temporary file', async () => {
    const dir = scratch();
    const file = join(dir, 'kept.txt');
    writeFileSync(file, 'old');
    // A directory where the file is renamed to: the rename fails after the temporary was written.
    const blocked = join(dir, 'blocked');
    mkdirSync(join(blocked, 'inside'), { recursive: true });
    await expect(writeWhole(blocked, 'new')).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(() => writeWholeSync(blocked, 'new')).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir).sort()).toEqual(['blocked', 'kept.txt']);
  });
});
