// Shared by the lessons tests: a real ProctorService (Supervisor + Monitor) with the lessons feature,
// its settings in a throwaway file, shut down after the file's tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { CommandName, RequestOf, ResponseOf } from '../../../shared/contract';
import { createLessons } from '../../../electron/core/lessons';
import { ProctorService } from '../../../electron/core/service';
import { buildGuard, GUARD_PATH, REPO } from '../supervisor/helpers';

export const LESSONS_DIR = join(REPO, 'electron', 'core', 'lessons');
export const FIXTURES = join(REPO, 'tests', 'fixtures', 'lessons');

/** A service over the lessons; the learner's edits go to `editsDir` (a fresh folder by default), never the user's. */
export function lessonService(editsDir?: string): () => ProctorService {
  let service: ProctorService | null = null;
  beforeAll(async () => {
    buildGuard();
    const scratch = mkdtempSync(join(tmpdir(), 'proctor-lessons-'));
    service = new ProctorService({
      version: 'test',
      transport: 'websocket',
      settingsFile: join(scratch, 'settings.json'),
      guardPath: GUARD_PATH,
      lessons: (s) => createLessons(s, { dir: LESSONS_DIR, editsDir: editsDir ?? join(scratch, 'edits') }),
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

/** One command through the service's contract path, which must answer ok. */
export async function call<C extends CommandName>(
  service: ProctorService,
  name: C,
  request: RequestOf<C>,
): Promise<ResponseOf<C>> {
  const result = await service.invoke(name, request);
  expect(result.ok, JSON.stringify(result)).toBe(true);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}
