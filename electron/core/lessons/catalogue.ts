// The lessons: one folder each (`NN-name/lesson.py`), read from the app's lessons folder so the code
// shown is exactly the code that runs; their texts are in the word catalogues (`lessonText`).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CodedError } from '../../../shared/errors';
import type { Lesson, LessonSummary } from '../../../shared/model';
import { inEveryLanguage } from '../../../shared/words';
import { CHECKS, type LessonId } from './checks';
import { tryThis } from './try-this';

/** A lesson as shipped: its code without the learner's edit. */
export type ShippedLesson = Omit<Lesson, 'edited'>;

export const LESSON_IDS = Object.keys(CHECKS) as readonly LessonId[];

export const isLessonId = (id: string): id is LessonId => (LESSON_IDS as readonly string[]).includes(id);

export class Catalogue {
  private readonly cache = new Map<string, Promise<ShippedLesson>>();

  constructor(readonly dir: string) {}

  scriptPath(id: string): string {
    return join(this.dir, id, 'lesson.py');
  }

  async summaries(): Promise<LessonSummary[]> {
    const lessons = await Promise.all(LESSON_IDS.map((id) => this.lesson(id)));
    return lessons.map(({ id, number, text }) => ({ id, number, text }));
  }

  lesson(id: string): Promise<ShippedLesson> {
    if (!isLessonId(id)) {
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

  private async load(id: LessonId): Promise<ShippedLesson> {
    const code = await readFile(this.scriptPath(id), 'utf8');
    const text = inEveryLanguage((words) => words.lessonText[id]);
    return { id, number: Number.parseInt(id, 10), text, code, tryThis: tryThis(id) };
  }
}
