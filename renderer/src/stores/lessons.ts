// The lessons as the window knows them: the list, the Python found, which one is open, and each
// lesson's last run. It listens from the app's start, so a run that ends while another tab is shown
// still shows its checks when the Lessons tab opens again.
import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef } from 'vue';
import type { LessonRun, LessonSummary, PythonStatus } from '../../../shared/model';
import type { ProctorError } from '../../../shared/errors';
import { useClient } from '../api';

export const useLessonsStore = defineStore('lessons', () => {
  const client = useClient();
  const python = shallowRef<PythonStatus | null>(null);
  const lessons = shallowRef<LessonSummary[]>([]);
  const selectedId = ref<string | null>(null);
  const runs = reactive(new Map<string, LessonRun>());
  const code = reactive(new Map<string, string>());
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

  async function loadCode(id: string): Promise<void> {
    if (code.has(id)) return;
    const lesson = await client.invoke('lessons:get', { id });
    if (lesson.ok) code.set(id, lesson.value.code);
    else error.value = lesson.error;
  }

  async function start(id: string): Promise<void> {
    error.value = null;
    const result = await client.invoke('lessons:run', { id });
    if (result.ok) runs.set(id, result.value);
    else error.value = result.error;
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
    code,
    error,
    selected,
    run,
    running,
    load,
    loadCode,
    start,
    startListening,
  };
});
