// Each lesson's "try this": a change to make, and the check whose outcome the learner predicts. The
// texts are in the catalogues (`tryThis`); the check is named by its label, as the run's checks carry it.
import type { TryThis } from '../../../shared/model';
import { inEveryLanguage, type Words } from '../../../shared/words';
import type { LessonId } from './checks';

const PREDICTED: Record<LessonId, (words: Words) => string> = {
  '01-process-args': (w) => w.check.processArgs.argsArrived,
  '02-subclass': (w) => w.check.subclass.runInChild,
  '03-many-children': (w) => w.check.manyChildren.exitedZero,
  '04-data-isolation': (w) => w.check.dataIsolation.parentKept,
  '05-daemon-terminate': (w) => w.check.daemonTerminate.daemonGone,
  '06-lock-tickets': (w) => w.check.lockTickets.withLock,
  '07-queue': (w) => w.check.queue.exactlyOnce,
  '08-pipe': (w) => w.check.pipe.socketPair,
  '09-manager': (w) => w.check.manager.withLock,
  '10-pool': (w) => w.check.pool.threeWorkers,
  '11-executor': (w) => w.check.pool.threeWorkers,
  '12-zombie': (w) => w.check.zombie.reaped,
  '13-orphan': (w) => w.check.orphan.reparented,
};

export function tryThis(id: LessonId): TryThis {
  return {
    text: inEveryLanguage((words) => words.tryThis[id]),
    check: inEveryLanguage(PREDICTED[id]),
  };
}
