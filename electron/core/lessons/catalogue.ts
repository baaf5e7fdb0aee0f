// The lessons on disk: one folder each (`NN-name/lesson.py` and `lesson.json` with both languages'
// texts), read from the app's lessons folder so the code shown is exactly the code that runs.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CodedError } from '../../../shared/errors';
import type { Lesson, LessonSummary } from '../../../shared/model';
import { CHECKS } from './checks';

const TextSchema = z.strictObject({
  title: z.string().min(1),
  does: z.string().min(1),
  watch: z.string().min(1),
  proves: z.string().min(1),
});
const LessonFileSchema = z.strictObject({ text: z.strictObject({ en: TextSchema, 'zh-CN': TextSchema }) });

export const LESSON_IDS: readonly string[] = Object.keys(CHECKS);

export class Catalogue {
  private readonly cache = new Map<string, Promise<Lesson>>();

  constructor(readonly dir: string) {}

  scriptPath(id: string): string {
    return join(this.dir, id, 'lesson.py');
  }

  async summaries(): Promise<LessonSummary[]> {
    const lessons = await Promise.all(LESSON_IDS.map((id) => this.lesson(id)));
    return lessons.map(({ id, number, text }) => ({ id, number, text }));
  }

  lesson(id: string): Promise<Lesson> {
    if (!LESSON_IDS.includes(id)) {
      return Promise.reject(new CodedError('E_NO_SUCH_LESSON', `there is no lesson ${id}`));
    }
    let loaded = this.cache.get(id);
    if (!loaded) {
      loaded = this.load(id);
      this.cache.set(id, loaded);
      // A failed read (a broken install) is not remembered: the next ask tries again.
      loaded.catch(() => this.cache.delete(id));
    }
    return loaded;
  }

  private async load(id: string): Promise<Lesson> {
    const [json, code] = await Promise.all([
      readFile(join(this.dir, id, 'lesson.json'), 'utf8'),
      readFile(this.scriptPath(id), 'utf8'),
    ]);
    const parsed = LessonFileSchema.safeParse(JSON.parse(json));
    if (!parsed.success)
      throw new CodedError('E_INTERNAL', `lesson ${id}: lesson.json is not valid: ${parsed.error.message}`);
    return { id, number: Number.parseInt(id, 10), text: parsed.data.text, code };
  }
}
