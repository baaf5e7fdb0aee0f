// Shared by the lessons tests: a real ProctorService (Supervisor + Monitor) with the lessons feature,
// its settings in a throwaway file, shut down after the file's tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createLessons } from '../../../electron/core/lessons';
import { ProctorService } from '../../../electron/core/service';
import { buildGuard, GUARD_PATH, REPO } from '../supervisor/helpers';

export const LESSONS_DIR = join(REPO, 'electron', 'core', 'lessons');
export const FIXTURES = join(REPO, 'tests', 'fixtures', 'lessons');

export function lessonService(): () => ProctorService {
  let service: ProctorService | null = null;
  beforeAll(async () => {
    buildGuard();
    service = new ProctorService({
      version: 'test',
      transport: 'websocket',
      settingsFile: join(mkdtempSync(join(tmpdir(), 'proctor-lessons-')), 'settings.json'),
      guardPath: GUARD_PATH,
      lessons: (s) => createLessons(s, { dir: LESSONS_DIR }),
    });
    await service.start();
  });
  afterAll(async () => {
    await service?.shutdown('terminate');
  });
  return () => {
    if (!service) throw new Error('the service starts in beforeAll');
    return service;
  };
}
