// Rotated segments are compressed through input buffers kept between compressions: a buffer handed to
// the next file must never carry the previous file's bytes into it, in turn or at the same time.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { gzipFile } from '../../../electron/core/logs/gzip-file';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A file of `bytes` bytes of lines naming `tag`, so two files differ in every line. */
function segment(dir: string, tag: string, bytes: number): { path: string; text: string } {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `${tag} ${i}\n`;
    lines.push(line);
    size += line.length;
  }
  const text = lines.join('');
  const path = join(dir, `${tag}.log`);
  writeFileSync(path, text);
  return { path, text };
}

describe('gzipFile', () => {
  it('compresses files one after another and side by side, each to its own bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'proctor-gzip-'));
    dirs.push(dir);
    // Bigger than one input buffer (4 MiB) and a shorter one after it, whose last read leaves the
    // longer file's bytes in the buffer's tail.
    const big = segment(dir, 'big', 9 * 1024 * 1024);
    const small = segment(dir, 'small', 300 * 1024);
    const other = segment(dir, 'other', 5 * 1024 * 1024);
    const unzip = (path: string): string => gunzipSync(readFileSync(path)).toString();

    await gzipFile(big.path, `${big.path}.gz`);
    await gzipFile(small.path, `${small.path}.gz`);
    expect(unzip(`${big.path}.gz`)).toBe(big.text);
    expect(unzip(`${small.path}.gz`)).toBe(small.text);

    await Promise.all([
      gzipFile(big.path, join(dir, 'big2.gz')),
      gzipFile(other.path, join(dir, 'other.gz')),
      gzipFile(small.path, join(dir, 'small2.gz')),
    ]);
    expect(unzip(join(dir, 'big2.gz'))).toBe(big.text);
    expect(unzip(join(dir, 'other.gz'))).toBe(other.text);
    expect(unzip(join(dir, 'small2.gz'))).toBe(small.text);
  });

  it('fails on a missing file and still compresses the next one whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'proctor-gzip-'));
    dirs.push(dir);
    await expect(gzipFile(join(dir, 'missing.log'), join(dir, 'missing.gz'))).rejects.toThrow(/ENOENT/);
    const after = segment(dir, 'after', 5 * 1024 * 1024);
    await gzipFile(after.path, `${after.path}.gz`);
    expect(gunzipSync(readFileSync(`${after.path}.gz`)).toString()).toBe(after.text);
  });
});
