// The lessons feature: the catalogue, the learner's edits, the Python it needs, lesson runs and the
// family graph.
import { CodedError } from '../../../shared/errors';
import { OWN_SCRIPT_ID, type FamilyGraph, type Lesson } from '../../../shared/model';
import { inEveryLanguage, WORDS } from '../../../shared/words';
import { readFamilyGraph } from '../family';
import type { LessonsBackend } from '../service';
import type { LessonHost } from './host';
import { Catalogue, type ShippedLesson } from './catalogue';
import { defaultEditsDir, EditStore } from './edits';
import { locatePython } from './python';
import { LessonRunner } from './runner';

export { locatePython, INSTALL_HINT } from './python';
export { LESSON_IDS } from './catalogue';

export type { LessonHost } from './host';

/** The learner's own script: a slot like a lesson's, with no code of its own and no checks. */
const OWN_SCRIPT: ShippedLesson = {
  id: OWN_SCRIPT_ID,
  number: 0,
  text: inEveryLanguage((words) => ({
    title: words.lessonsPanel.ownTitle,
    does: words.lessonsPanel.ownHint,
    watch: '',
    proves: '',
  })),
  code: '',
  tryThis: null,
};

export function createLessons(host: LessonHost, options: { dir: string; editsDir?: string }): LessonsBackend {
  const catalogue = new Catalogue(options.dir);
  const edits = new EditStore(options.editsDir ?? defaultEditsDir());
  const runner = new LessonRunner(host, catalogue);
  const python = () => locatePython(host.settings().pythonPath);
  // Rejects an unknown id before it names a file in the edits folder.
  const shipped = (id: string): Promise<ShippedLesson> =>
    id === OWN_SCRIPT_ID ? Promise.resolve(OWN_SCRIPT) : catalogue.lesson(id);
  const withEdit = async (id: string): Promise<Lesson> => {
    const lesson = await shipped(id);
    return { ...lesson, edited: await edits.get(id) };
  };
  /** An edit that is the original again is no edit: the lesson shows as shipped. */
  const keep = async (id: string, code: string): Promise<void> => {
    const lesson = await shipped(id);
    if (code === lesson.code) await edits.remove(id);
    else await edits.save(id, code);
  };

  return {
    async list() {
      const [status, lessons] = await Promise.all([python(), catalogue.summaries()]);
      return { python: status, lessons };
    },
    get: withEdit,
    async saveEdit(id, code) {
      await keep(id, code);
      return withEdit(id);
    },
    async restore(id) {
      await shipped(id);
      await edits.remove(id);
      return withEdit(id);
    },
    run(id, options = {}) {
      return runner.run(id, async () => {
        const lesson = await withEdit(id);
        if (options.code !== undefined) await keep(id, options.code);
        const code = options.code ?? lesson.edited;
        if (id === OWN_SCRIPT_ID && (code === null || code.trim() === ''))
          throw new CodedError(
            'E_INVALID',
            'your own script is empty: paste Python or open a file first',
            'code',
          );
        const status = await python();
        if (!status.found || status.path === null)
          throw new CodedError('E_NO_PYTHON', status.hint ?? WORDS.en.errors.E_NO_PYTHON);
        return {
          python: status.path,
          code: code !== null && code !== lesson.code ? code : null,
          timeLimitMs: options.timeLimitMs ?? null,
        };
      });
    },
    async familyGraph(childId): Promise<FamilyGraph> {
      const child = host.child(childId);
      const recorded = runner.recordedGraph(childId);
      // Live while the program runs; once it has exited (its guard takes the rest of the family with
      // it), a lesson's family as it was over its whole run. The monitor's last snapshot may still list
      // the exiting program, so the child's own state decides, not the snapshot.
      if (recorded && !child?.isAlive()) return recorded;
      if (!child) throw new CodedError('E_NO_SUCH_CHILD', `there is no supervised child with id ${childId}`);
      const outsiders = [process.pid, ...(child.guardPid === null ? [] : [child.guardPid])];
      return readFamilyGraph(childId, host.snapshot(), outsiders);
    },
    dispose: () => runner.dispose(),
  };
}
