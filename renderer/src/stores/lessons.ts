// The lessons as the window knows them: the list, the Python found, which one is open, and each
// lesson's last run. It listens from the app's start, so a run that ends while another tab is shown
// still shows its checks when the Lessons tab opens again.
import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef } from 'vue';
import type { Lesson, LessonRun, LessonSummary, PythonStatus } from '../../../shared/model';
import type { ProctorError } from '../../../shared/errors';
import { useClient } from '../api';

export const useLessonsStore = defineStore('lessons', () => {
  const client = useClient();
  const python = shallowRef<PythonStatus | null>(null);
  const lessons = shallowRef<LessonSummary[]>([]);
  const selectedId = ref<string | null>(null);
  const runs = reactive(new Map<string, LessonRun>());
  /** Each opened lesson with its code and the learner's kept edit. */
  const details = reactive(new Map<string, Lesson>());
  const error = shallowRef<ProctorError | null>(null);

  const selected = computed(() => lessons.value.find((l) => l.id === selectedId.value) ?? null);
  const run = computed(() => (selectedId.value ? runs.get(selectedId.value) : undefined));
  const running = computed(() => [...runs.values()].some((r) => r.state === 'running'));

  /** Asks again each time the panel opens: the interpreter setting may have changed meanwhile. */
  async function load(): Promise<void> {
    const listed = await client.invoke('lessons:list', {});
    if (!listed.ok) {
      error.value = listed.error;
      return;
    }
    python.value = listed.value.python;
    lessons.value = listed.value.lessons;
    selectedId.value ??= listed.value.lessons[0]?.id ?? null;
  }

  async function loadLesson(id: string): Promise<Lesson | null> {
    const known = details.get(id);
    if (known) return known;
    const lesson = await client.invoke('lessons:get', { id });
    if (!lesson.ok) {
      error.value = lesson.error;
      return null;
    }
    details.set(id, lesson.value);
    return lesson.value;
  }

  /** Keeps the learner's text as the lesson's edit (the original's text drops the edit). */
  async function saveEdit(id: string, code: string): Promise<void> {
    const saved = await client.invoke('lessons:saveEdit', { id, code });
    if (saved.ok) details.set(id, saved.value);
    else error.value = saved.error;
  }

  async function restore(id: string): Promise<void> {
    const restored = await client.invoke('lessons:restore', { id });
    if (restored.ok) details.set(id, restored.value);
    else error.value = restored.error;
  }

  /** Runs `code` (kept as the edit when it is not the original) with a time limit for edited code. */
  async function start(id: string, options: { code?: string; timeLimitMs?: number } = {}): Promise<void> {
    error.value = null;
    const result = await client.invoke('lessons:run', { id, ...options });
    if (result.ok) runs.set(id, result.value);
    else error.value = result.error;
    const lesson = details.get(id);
    if (lesson && options.code !== undefined)
      details.set(id, { ...lesson, edited: options.code === lesson.code ? null : options.code });
  }

  let listening = false;
  function startListening(): void {
    if (listening) return;
    listening = true;
    client.on('lesson:run', (update) => runs.set(update.lessonId, update));
  }

  return {
    python,
    lessons,
    selectedId,
    runs,
    details,
    error,
    selected,
    run,
    running,
    load,
    loadLesson,
    saveEdit,
    restore,
    start,
    startListening,
  };
});
