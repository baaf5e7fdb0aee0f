// `proctor lessons [list|run N]`: the catalogue, and one lesson run with its checks.
import type { Command } from 'commander';
import type { Language, LessonRun, LessonSummary } from '../../shared/model';
import type { SocketClient } from '../client/socket-client';
import { withBackend } from './backend';
import { CliFailure } from './failure';
import { table } from './format';

/** The lessons speak both languages; the terminal's locale picks one. */
export function terminalLanguage(env: NodeJS.ProcessEnv = process.env): Language {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.startsWith('zh') ? 'zh-CN' : 'en';
}

async function catalogue(client: SocketClient): Promise<LessonSummary[]> {
  const { python, lessons } = await client.call('lessons:list', {});
  if (!python.found) console.error(`proctor: no Python found; ${python.hint ?? 'install python3'}`);
  return lessons;
}

/** Resolves once the run has passed or failed; subscribed before the run starts, so no outcome is missed. */
function outcome(client: SocketClient): { of(runId: string): Promise<LessonRun> } {
  const ended = new Map<string, LessonRun>();
  const waiting = new Map<string, (run: LessonRun) => void>();
  client.on('lesson:run', (run) => {
    if (run.state === 'running') return;
    ended.set(run.runId, run);
    waiting.get(run.runId)?.(run);
  });
  return {
    of: (runId) =>
      new Promise((resolve) => {
        const done = ended.get(runId);
        if (done) resolve(done);
        else waiting.set(runId, resolve);
      }),
  };
}

async function runLesson(client: SocketClient, which: string): Promise<void> {
  const language = terminalLanguage();
  const lesson = (await catalogue(client)).find(
    (candidate) => candidate.id === which || String(candidate.number) === which,
  );
  if (!lesson)
    throw new CliFailure(
      `E_NO_SUCH_LESSON: there is no lesson ${JSON.stringify(which)}; see \`proctor lessons\``,
    );
  const outcomes = outcome(client);
  const started = await client.call('lessons:run', { id: lesson.id });
  console.log(`${lesson.number}. ${lesson.text[language].title} (child ${started.childId ?? '-'})…`);
  const run = await outcomes.of(started.runId);
  for (const check of run.checks) {
    console.log(`  ${check.passed ? '✓' : '✗'} ${check.label[language]}  (${check.observed[language]})`);
  }
  const seconds = run.durationMs === null ? '' : ` in ${(run.durationMs / 1000).toFixed(1)} s`;
  if (run.state !== 'passed') throw new CliFailure(`lesson ${lesson.number} failed${seconds}`);
  console.log(`passed${seconds}`);
}

export function lessonsCommand(program: Command): void {
  const lessons = program
    .command('lessons')
    .description('Python multiprocessing lessons: list them, run one and see its checks');
  lessons
    .command('list', { isDefault: true })
    .description('list the lessons')
    .action((_options: object, command: Command) =>
      withBackend(command, async (client) => {
        const language = terminalLanguage();
        const rows = (await catalogue(client)).map((lesson) => [
          String(lesson.number),
          lesson.id,
          lesson.text[language].title,
        ]);
        console.log(table(['N', 'ID', 'TITLE'], rows));
      }),
    );
  lessons
    .command('run <lesson>')
    .description('run a lesson (its number or id) and print its checks; exits 1 when one fails')
    .action((which: string, _options: object, command: Command) =>
      withBackend(command, (client) => runLesson(client, which)),
    );
}
