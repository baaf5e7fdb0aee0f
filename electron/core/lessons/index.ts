// The lessons feature: the catalogue, the Python it needs, lesson runs and the family graph.
import { CodedError } from '../../../shared/errors';
import type { FamilyGraph } from '../../../shared/model';
import { readFamilyGraph } from '../family';
import type { LessonsBackend, ProctorService } from '../service';
import { Catalogue } from './catalogue';
import { locatePython } from './python';
import { LessonRunner } from './runner';

export { locatePython, INSTALL_HINT } from './python';
export { LESSON_IDS } from './catalogue';

export function createLessons(service: ProctorService, options: { dir: string }): LessonsBackend {
  const catalogue = new Catalogue(options.dir);
  const runner = new LessonRunner(service, catalogue);
  const python = () => locatePython(service.settings.get().pythonPath);

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
        throw new CodedError('E_NO_PYTHON', status.hint ?? undefined);
      return runner.run(id, status.path);
    },
    async familyGraph(childId): Promise<FamilyGraph> {
      const child = service.supervisor.get(childId);
      const recorded = runner.recordedGraph(childId);
      if (!child) {
        if (recorded) return recorded;
        throw new CodedError('E_NO_SUCH_CHILD', `there is no supervised child with id ${childId}`);
      }
      const outsiders = [process.pid, ...(child.guardPid === null ? [] : [child.guardPid])];
      const live = await readFamilyGraph(childId, service.monitor.snapshot(), outsiders);
      // Live while the family lives; afterwards, a lesson's family as it was over its whole run.
      return live.nodes.length === 0 && recorded ? recorded : live;
    },
    dispose: () => runner.dispose(),
  };
}
