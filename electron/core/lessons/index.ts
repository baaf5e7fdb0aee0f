// The lessons feature: the catalogue, the Python it needs, lesson runs and the family graph.
import { CodedError } from '../../../shared/errors';
import type { FamilyGraph } from '../../../shared/model';
import { WORDS } from '../../../shared/words';
import { readFamilyGraph } from '../family';
import type { LessonsBackend } from '../service';
import type { LessonHost } from './host';
import { Catalogue } from './catalogue';
import { locatePython } from './python';
import { LessonRunner } from './runner';

export { locatePython, INSTALL_HINT } from './python';
export { LESSON_IDS } from './catalogue';

export type { LessonHost } from './host';

export function createLessons(host: LessonHost, options: { dir: string }): LessonsBackend {
  const catalogue = new Catalogue(options.dir);
  const runner = new LessonRunner(host, catalogue);
  const python = () => locatePython(host.settings().pythonPath);

  return {
    async list() {
      const [status, lessons] = await Promise.all([python(), catalogue.summaries()]);
      return { python: status, lessons };
    },
    get: (id) => catalogue.lesson(id),
    async run(id) {
      await catalogue.lesson(id);
      const status = await python();
      if (!status.found || status.path === null)
        throw new CodedError('E_NO_PYTHON', status.hint ?? WORDS.en.errors.E_NO_PYTHON);
      return runner.run(id, status.path);
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
