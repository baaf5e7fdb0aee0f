// One program's log on disk: lines appended in batches, size-based rotation with gzip, a disk budget
// that is never passed, and a memory bound instead of back-pressure: the child is never slowed down.
import { mkdir, open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { droppedNote } from '../../../shared/log-notes';
import type { LogWarningKind } from '../../../shared/model';
import type { OutputBlock } from '../supervisor/output';
import { gzipFile } from './gzip-file';
import { countLogLines, wholeRecords } from './lines';
import { LineQueue, type Chunk } from './queue';
import { listSegments, segmentName, type Segment } from './segments';

export interface LogLimits {
  /** One segment's size; the newest is rotated when the next batch would pass it. */
  maxBytes: number;
  /** Segments kept, the one being written included: a program's disk use stays under maxBytes × maxFiles. */
  maxFiles: number;
  /**
   * Bytes of lines waiting for the disk; past it new lines are dropped. The default holds what a child
   * flooding its output writes while a full segment is being compressed, on a busy machine: with
   * lines taken in blocks, a flood comes in at over 100 MB/s and 16 MB lost lines at each rotation.
   */
  maxPendingBytes: number;
}

export const DEFAULT_LOG_LIMITS: LogLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxFiles: 5,
  maxPendingBytes: 48 * 1024 * 1024,
};

/** A line's position and the byte offset it starts at in the segment being written. */
export interface Mark {
  pos: number;
  offset: number;
}

/** `code` is the system's error code (EACCES, ENOSPC, …) of a fault. */
export type WarningListener = (kind: LogWarningKind, message: string, code?: string) => void;

/** How long a writer that hit a fault waits before it tries the disk again. */
const RETRY_MS = 1000;
/** How often the file being written is checked for having been deleted under us. */
const DELETED_CHECK_MS = 1000;
const TEMP_SUFFIX = '.tmp';
/** Bytes between two marks: a read from a mark decodes at most this much before its first line. */
const MARK_BYTES = 64 * 1024;
/** A record (a chunk read from the pipe) is at most this size, or a quarter segment if that is less. */
const CHUNK_BYTES = 256 * 1024;
/**
 * How long the first record queued waits for others before a write, unless a record's worth is
 * queued: a flood of small pipe reads costs a write (and a thread pool hand-off) every few MiB, not
 * one a read.
 */
const GATHER_MS = 10;
/**
 * How old a rotated segment must be before it is compressed. A flood rotates every few dozen
 * milliseconds and deletes each segment a few rotations later: compressing those was a third of the
 * backend's CPU per MB for output nobody would keep, and gzip took that CPU from the child. The segments that
 * last are compressed once they are this old, and all of them at a flush or close.
 */
const COMPRESS_AFTER_MS = 1000;

function chunkBytesOf(limits: LogLimits): number {
  return Math.min(CHUNK_BYTES, Math.floor(limits.maxBytes / 4));
}

function faultOf(error: unknown): { kind: LogWarningKind; words: string; code?: string } {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return { kind: 'full', words: 'the disk is full', code };
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR' || code === 'ENOENT') {
    return { kind: 'unwritable', words: 'the log directory cannot be written', code };
  }
  return { kind: 'write', words: 'writing the log failed', ...(code !== undefined && { code }) };
}

/** A rotated segment not yet compressed, and when it was rotated. */
interface Raw {
  segment: Segment;
  rotatedAt: number;
}

export class LogWriter {
  #limits: LogLimits;
  #pending: LineQueue;
  #dropped = 0;
  /** Dropped since the last note in the file saying so. */
  #unnoted = 0;
  #file: FileHandle | null = null;
  /** Whether #first/#lines describe the log (after the first open), so a reopen continues the positions. */
  #known = false;
  #first = 0;
  #lines = 0;
  #bytes = 0;
  /** Where records start in the segment being written, about every MARK_BYTES: a read starts there. */
  #marks: Mark[] = [];
  #draining = false;
  #retry: NodeJS.Timeout | null = null;
  #fault: LogWarningKind | null = null;
  #checkedAt = 0;
  /** Rotated segments not yet compressed, oldest first. */
  #raw: Raw[] = [];
  /** The segment being compressed, if one is. */
  #compressing: Segment | null = null;
  /** The compressions under way, of every segment due by then; null when none runs. */
  #compression: Promise<void> | null = null;
  #compressTimer: NodeJS.Timeout | null = null;
  #idle: Array<() => void> = [];
  #closed = false;

  constructor(
    readonly dir: string,
    limits: Partial<LogLimits>,
    private readonly warn: WarningListener,
  ) {
    this.#limits = { ...DEFAULT_LOG_LIMITS, ...limits };
    this.#pending = new LineQueue(chunkBytesOf(this.#limits));
  }

  /** New limits apply from the next chunk on. */
  setLimits(limits: Partial<LogLimits>): void {
    this.#limits = { ...this.#limits, ...limits };
    this.#fitQueue();
  }

  /** A queue for the segment size; the old one keeps its lines until it is empty (see #drain). */
  #fitQueue(): void {
    const chunkBytes = chunkBytesOf(this.#limits);
    if (chunkBytes !== this.#pending.chunkBytes && this.#pending.empty)
      this.#pending = new LineQueue(chunkBytes);
  }

  /** A fault stands: the newest lines are not reaching the disk. */
  get faulted(): boolean {
    return this.#fault !== null;
  }

  /** Lines that never reached the disk in this run. */
  get dropped(): number {
    return this.#dropped;
  }

  /** One past the newest position written, or null before the log was first opened. */
  get end(): number | null {
    return this.#known ? this.#first + this.#lines : null;
  }

  /**
   * Where to start reading position `pos` in the segment being written: its path and the last mark
   * at or before `pos`; null when `pos` is in an older segment.
   */
  seek(pos: number): { path: string; mark: Mark } | null {
    if (!this.#known || pos < this.#first) return null;
    const mark = this.#marks.findLast((m) => m.pos <= pos);
    return mark ? { path: join(this.dir, segmentName(this.#first, false)), mark } : null;
  }

  /** Queues a block of the child's lines; never waits and never throws. */
  appendBlock(block: OutputBlock): void {
    // The block goes whole or not at all: one check a chunk read, not one a line.
    if (this.#admit(block.count, LineQueue.maxBlockBytes(block))) this.#pending.pushBlock(block);
  }

  /** Queues Proctor's own line (see shared/log-notes.ts); never waits and never throws. */
  note(text: string): void {
    if (this.#admit(1, LineQueue.maxBytes(text))) this.#pending.push(Date.now(), 'note', text);
  }

  /** Whether `lines` taking up to `bytes` fit in the queue; if not they are counted as dropped. */
  #admit(lines: number, bytes: number): boolean {
    if (this.#closed) return false;
    if (this.#pending.bytes + bytes > this.#limits.maxPendingBytes) {
      this.#dropped += lines;
      this.#unnoted += lines;
      return false;
    }
    // The note goes where the gap is: after the last line kept before the drops.
    if (this.#unnoted > 0) this.#noteDropped();
    this.#kick();
    return true;
  }

  /**
   * Resolves once every queued line is on disk, or the writer is waiting out a fault. Rotated segments
   * may still be raw: their compression is housekeeping after the fact (see COMPRESS_AFTER_MS).
   */
  async written(): Promise<void> {
    if (this.#draining || (!this.#pending.empty && this.#retry === null)) {
      await new Promise<void>((resolve) => this.#idle.push(resolve));
    }
  }

  /** Resolves once every queued line is on disk and compressed, or the writer is waiting out a fault. */
  async flushed(): Promise<void> {
    await this.written();
    await this.#compressed();
  }

  /** Compresses every rotated segment, whatever its age; resolves once none is left raw. */
  async #compressed(): Promise<void> {
    while (this.#raw.length > 0) await this.#compress(0);
  }

  /** Writes what it can, waits for a compression under way, and closes the file. */
  async close(): Promise<void> {
    await this.flushed();
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    await this.#compressed();
    if (this.#compressTimer) clearTimeout(this.#compressTimer);
    await this.#file?.close().catch(() => undefined);
    this.#file = null;
  }

  #kick(): void {
    if (this.#draining || this.#retry !== null) return;
    this.#draining = true;
    setImmediate(() => void this.#drain());
  }

  async #drain(): Promise<void> {
    try {
      while (!this.#pending.empty || this.#unnoted > 0) {
        await this.#open();
        await this.#checkDeleted();
        if (this.#unnoted > 0 && this.#pending.empty) this.#noteDropped();
        if (this.#pending.bytes < this.#pending.chunkBytes) await delay(GATHER_MS);
        const batch = this.#batch(this.#limits.maxBytes - this.#bytes);
        if (batch.length === 0) {
          await this.#rotate();
          continue;
        }
        await this.#write(batch);
      }
      this.#fitQueue();
      if (this.#fault !== null) {
        this.#fault = null;
        this.warn('recovered', 'the log is being written again');
      }
    } catch (error) {
      this.#failed(error);
    } finally {
      this.#draining = false;
      for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  /**
   * The oldest queued records that fit in `room` bytes; none when the segment has lines and the next
   * record does not fit (time to rotate). A record is at most a quarter segment, so an empty one takes it.
   */
  #batch(room: number): Chunk[] {
    const batch: Chunk[] = [];
    let bytes = 0;
    for (const chunk of this.#pending.chunks()) {
      if (bytes + chunk.bytes > room && (batch.length > 0 || this.#bytes > 0)) break;
      batch.push(chunk);
      bytes += chunk.bytes;
    }
    return batch;
  }

  /** A failed write leaves the file as it was: what was half written is cut off again. */
  async #write(batch: Chunk[]): Promise<void> {
    const file = this.#file!;
    // A batch spans megabytes: marks go where its records start, about every MARK_BYTES.
    const marks: Mark[] = [];
    let last = this.#marks.at(-1)!.offset;
    let total = 0;
    let lines = 0;
    for (const chunk of batch) {
      const offset = this.#bytes + total;
      if (offset - last >= MARK_BYTES) {
        marks.push({ pos: this.#first + this.#lines + lines, offset });
        last = offset;
      }
      total += chunk.bytes;
      lines += chunk.lines;
    }
    let buffers = batch.flatMap((chunk) => chunk.buffers);
    let written = 0;
    try {
      while (written < total) {
        const { bytesWritten } = await file.writev(buffers);
        written += bytesWritten;
        buffers = rest(buffers, bytesWritten);
      }
    } catch (error) {
      if (written > 0) await file.truncate(this.#bytes).catch(() => undefined);
      throw error;
    }
    this.#pending.take(batch.length);
    this.#marks.push(...marks);
    this.#lines += lines;
    this.#bytes += total;
  }

  #noteDropped(): void {
    this.#pending.push(Date.now(), 'note', droppedNote(this.#unnoted));
    this.#unnoted = 0;
  }

  #failed(error: unknown): void {
    const { kind, words, code } = faultOf(error);
    if (this.#fault !== kind) {
      this.#fault = kind;
      const reason = (error as Error).message;
      this.warn(
        kind,
        `${words} (${this.dir}): ${reason}; the program keeps running, its output stays in memory`,
        code,
      );
    }
    if (this.#closed) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      this.#kick();
    }, RETRY_MS);
    this.#retry.unref();
  }

  async #open(): Promise<void> {
    if (this.#file) return;
    if (!this.#known) {
      await this.#makeDir();
      await this.#resume();
    }
    const path = join(this.dir, segmentName(this.#first, false));
    // The folder is made once, not at every rotation (a flood rotates every few dozen milliseconds);
    // one deleted under us is made again.
    this.#file = await open(path, 'a').catch(async (error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await this.#makeDir();
      return open(path, 'a');
    });
    this.#bytes = (await this.#file.stat()).size;
    this.#marks = [{ pos: this.#first, offset: 0 }];
    if (this.#bytes > 0) this.#marks.push({ pos: this.#first + this.#lines, offset: this.#bytes });
    this.#checkedAt = Date.now();
    this.#known = true;
  }

  async #makeDir(): Promise<void> {
    await mkdir(this.dir, { recursive: true }).catch(async (error: unknown) => {
      // A recursive mkdir says ENOENT where the folder cannot be made (a read-only mount): the plain
      // one says why (EROFS, EACCES), for the warning.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(this.dir);
    });
  }

  /** After a backend restart: go on with the newest segment, and finish what a crash left half done. */
  async #resume(): Promise<void> {
    for (const name of await readdir(this.dir)) {
      if (name.endsWith(TEMP_SUFFIX)) await unlink(join(this.dir, name)).catch(() => undefined);
    }
    const segments = await listSegments(this.dir);
    const last = segments.at(-1);
    if (last === undefined) return;
    if (last.compressed) {
      this.#first = last.first + (await countLogLines(last));
    } else {
      const whole = await wholeRecords(last.path);
      // A record cut by a crash would swallow the next ones written: cut it off.
      if (whole.bytes < last.bytes) {
        const file = await open(last.path, 'r+');
        await file.truncate(whole.bytes).finally(() => file.close());
      }
      this.#first = last.first;
      this.#lines = whole.lines;
      if (whole.bytes >= this.#limits.maxBytes) {
        this.#first += whole.lines;
        this.#lines = 0;
      }
    }
    for (const segment of segments) {
      if (!segment.compressed && segment.first !== this.#first) this.#raw.push({ segment, rotatedAt: 0 });
    }
    this.#scheduleCompression();
  }

  async #checkDeleted(): Promise<void> {
    const now = Date.now();
    if (now - this.#checkedAt < DELETED_CHECK_MS) return;
    this.#checkedAt = now;
    const { nlink } = await this.#file!.stat();
    if (nlink > 0) return;
    this.warn('deleted', `the log file of ${this.dir} was deleted under Proctor; a new one was started`);
    await this.#file!.close();
    this.#file = null;
    this.#first += this.#lines;
    this.#lines = 0;
    await this.#open();
  }

  async #rotate(): Promise<void> {
    const old: Segment = {
      first: this.#first,
      path: join(this.dir, segmentName(this.#first, false)),
      compressed: false,
      bytes: this.#bytes,
    };
    const closed = this.#file!.close();
    this.#file = null;
    this.#first += this.#lines;
    this.#lines = 0;
    this.#raw.push({ segment: old, rotatedAt: Date.now() });
    // With two files (the fewest allowed), a raw segment, its .gz being written and a full new segment
    // do not fit the budget together: the new segment waits for the gzip, its lines in memory meanwhile.
    const { maxBytes, maxFiles } = this.#limits;
    if (2 * old.bytes + maxBytes > maxBytes * maxFiles) {
      await closed;
      await this.#compressed();
    } else this.#scheduleCompression();
    // The old segment closes while the oldest are deleted: a flood rotates every few dozen
    // milliseconds, and on a busy machine each wait for the thread pool takes milliseconds. The new
    // segment is opened after the prune, so the files never outnumber maxFiles.
    await Promise.all([closed, this.#prune(true)]);
    await this.#open();
  }

  /** Compresses the oldest raw segment once it is old enough (see COMPRESS_AFTER_MS). */
  #scheduleCompression(): void {
    if (this.#compressTimer !== null || this.#compression !== null || this.#closed) return;
    const oldest = this.#raw[0];
    if (oldest === undefined) return;
    const wait = Math.max(0, oldest.rotatedAt + COMPRESS_AFTER_MS - Date.now());
    this.#compressTimer = setTimeout(() => {
      this.#compressTimer = null;
      void this.#compress(COMPRESS_AFTER_MS);
    }, wait);
    this.#compressTimer.unref();
  }

  /**
   * Compresses the raw segments rotated at least `minAgeMs` ago, oldest first, one at a time; joins
   * the run under way if there is one. A failure is a warning, the next segment goes on.
   */
  #compress(minAgeMs: number): Promise<void> {
    this.#compression ??= (async () => {
      for (let next = this.#raw[0]; next && Date.now() - next.rotatedAt >= minAgeMs; next = this.#raw[0]) {
        const raw = next.segment;
        this.#compressing = raw;
        try {
          await this.#prune(false);
          await this.#gzip(raw);
        } catch (error) {
          const { kind, code } = faultOf(error);
          this.warn(kind, `compressing ${raw.path} failed: ${(error as Error).message}`, code);
        } finally {
          this.#compressing = null;
          this.#raw = this.#raw.filter((entry) => entry.segment !== raw);
        }
      }
    })().finally(() => {
      this.#compression = null;
      this.#scheduleCompression();
    });
    return this.#compression;
  }

  async #gzip(raw: Segment): Promise<void> {
    const gz = join(this.dir, segmentName(raw.first, true));
    const temp = gz + TEMP_SUFFIX;
    try {
      await gzipFile(raw.path, temp);
      await rename(temp, gz);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await unlink(raw.path);
  }

  /**
   * Deletes the oldest rotated segments, raw or compressed, until they, a full newest segment and room
   * for the .gz of the biggest raw one fit the budget of maxBytes × maxFiles, in bytes and in files: a
   * compression never passes the budget, whenever it starts. A raw segment deleted here is never
   * compressed. When the oldest is the one being compressed, a rotation (`mayWait`) waits for its .gz,
   * so the history kept has no hole.
   */
  async #prune(mayWait: boolean): Promise<void> {
    const { maxBytes, maxFiles } = this.#limits;
    const listRotated = async () =>
      (await listSegments(this.dir)).filter((segment) => segment.first !== this.#first);
    let rotated = await listRotated();
    for (;;) {
      const gzRoom = Math.max(0, ...this.#raw.map((entry) => entry.segment.bytes));
      const bytes = sum(rotated) + gzRoom + maxBytes;
      const oldest = rotated[0];
      if (oldest === undefined || (rotated.length + 1 <= maxFiles && bytes <= maxBytes * maxFiles)) return;
      if (oldest.first === this.#compressing?.first) {
        if (!mayWait || this.#compression === null) return;
        await this.#compression;
        // The raw file became a .gz, and the compression's own prune may have deleted others.
        rotated = await listRotated();
        continue;
      }
      // Out of the queue before the unlink's await, so no compression starts on it meanwhile.
      rotated.shift();
      this.#raw = this.#raw.filter((entry) => entry.segment.first !== oldest.first);
      await unlink(oldest.path).catch(() => undefined);
    }
  }
}

/** What is left of `buffers` after a short write of `written` bytes. */
function rest(buffers: Buffer[], written: number): Buffer[] {
  let skip = written;
  let index = 0;
  while (index < buffers.length && skip >= buffers[index]!.length) skip -= buffers[index++]!.length;
  const left = buffers.slice(index);
  if (left.length > 0 && skip > 0) left[0] = left[0]!.subarray(skip);
  return left;
}

function sum(segments: Segment[]): number {
  return segments.reduce((total, segment) => total + segment.bytes, 0);
}
