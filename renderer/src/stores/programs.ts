// The stack as the window knows it: every program (and replica) with its state, the file in use and
// its text, the problems a validate or a refused load found, and the actions on one, some or all.
import { defineStore } from 'pinia';
import { computed, ref, shallowReactive, shallowRef } from 'vue';
import type { ChildSpec, ProgramInfo, StackLoaded, StackProblem } from '../../../shared/model';
import type { ProctorError } from '../../../shared/errors';
import type { Result } from '../../../shared/contract';
import { useClient } from '../api';
import { programFromSpec } from '../model/program-from-spec';

export type ProgramAction = 'start' | 'stop' | 'restart';

/** One program of the file: its replicas (one unless `replicas` says more) and what it waits for. */
export interface ProgramGroup {
  name: string;
  units: ProgramInfo[];
  dependsOn: ProgramInfo['dependsOn'];
}

export const useProgramsStore = defineStore('programs', () => {
  const client = useClient();
  /** By unit name (`web`, or `web-1` for a replica), in the file's order. */
  const units = shallowReactive(new Map<string, ProgramInfo>());
  const file = ref<string | null>(null);
  const text = shallowRef<string | null>(null);
  /** What the last validate or refused load found; empty when the file is fine. */
  const problems = shallowRef<StackProblem[]>([]);
  /** What the last load or reload moved, for the line that says so. */
  const lastLoad = shallowRef<Omit<StackLoaded, 'programs'> | null>(null);
  const validated = ref(false);
  const error = shallowRef<ProctorError | null>(null);
  const busy = ref(false);
  /** The main column shows the Programs view instead of the process tree. */
  const viewShown = ref(false);

  const groups = computed<ProgramGroup[]>(() => {
    const byProgram = new Map<string, ProgramGroup>();
    for (const unit of units.values()) {
      let group = byProgram.get(unit.program);
      if (!group)
        byProgram.set(unit.program, (group = { name: unit.program, units: [], dependsOn: unit.dependsOn }));
      group.units.push(unit);
    }
    return [...byProgram.values()];
  });

  /** Which program runs a supervised child, for the tree's marks. */
  const byChild = computed(() => {
    const map = new Map<string, ProgramInfo>();
    for (const unit of units.values()) if (unit.childId !== null) map.set(unit.childId, unit);
    return map;
  });

  function replaceAll(list: readonly ProgramInfo[]): void {
    units.clear();
    for (const unit of list) units.set(unit.name, unit);
  }

  async function loadSource(path?: string): Promise<void> {
    const result = await client.invoke('programs:source', path === undefined ? {} : { file: path });
    if (!result.ok) return;
    file.value = result.value.file;
    text.value = result.value.text;
  }

  async function refresh(): Promise<void> {
    const listed = await client.invoke('programs:list', {});
    if (listed.ok) replaceAll(listed.value);
    await loadSource();
  }

  /** The backend's problems with the file, when it refused it; else the error as it came. */
  async function explain(path: string, failure: ProctorError): Promise<void> {
    const checked = await client.invoke('programs:validate', { file: path });
    problems.value = checked.ok ? checked.value.problems : [];
    if (problems.value.length === 0) error.value = failure;
  }

  async function settle(path: string, result: Result<StackLoaded>): Promise<void> {
    if (result.ok) {
      const { programs, ...moved } = result.value;
      replaceAll(programs);
      lastLoad.value = moved;
      await loadSource();
    } else {
      lastLoad.value = null;
      await loadSource(path);
      await explain(path, result.error);
    }
  }

  async function begin<T>(work: () => Promise<T>): Promise<T> {
    busy.value = true;
    error.value = null;
    problems.value = [];
    validated.value = false;
    try {
      return await work();
    } finally {
      busy.value = false;
    }
  }

  /** Validates and applies the file; a refused one changes nothing and shows its problems at their lines. */
  const open = (path: string) =>
    begin(async () => settle(path, await client.invoke('programs:load', { file: path })));

  const reload = () =>
    begin(async () => {
      const result = await client.invoke('programs:reload', {});
      await settle(file.value ?? '', result);
    });

  const validate = (path: string) =>
    begin(async () => {
      const result = await client.invoke('programs:validate', { file: path });
      await loadSource(path);
      if (!result.ok) error.value = result.error;
      else {
        problems.value = result.value.problems;
        validated.value = true;
      }
    });

  /** One unit, a program's replicas, several, or (no names) the whole stack. */
  async function act(action: ProgramAction, names?: readonly string[]): Promise<void> {
    error.value = null;
    const request = names === undefined ? {} : { names: [...names] };
    const result = await client.invoke(`programs:${action}`, request);
    if (!result.ok) error.value = result.error;
    else for (const unit of result.value) units.set(unit.name, unit);
  }

  /** The Start dialog's "keep as a program": written into the stack file, then run by it. */
  async function keep(spec: ChildSpec): Promise<Result<ProgramInfo | null>> {
    const { name, program } = programFromSpec(spec);
    const result = await client.invoke('programs:keep', { name, program });
    if (!result.ok) return result;
    const { programs, ...moved } = result.value;
    replaceAll(programs);
    lastLoad.value = moved;
    await loadSource();
    return { ok: true, value: programs.find((unit) => unit.program === name) ?? null };
  }

  let listening = false;
  function startListening(): void {
    if (listening) return;
    listening = true;
    client.on('program:state', (unit) => units.set(unit.name, unit));
    client.on('program:removed', ({ name }) => {
      for (const unit of [...units.values()]) if (unit.program === name) units.delete(unit.name);
    });
    client.onReconnect(() => void refresh());
    void refresh();
  }

  return {
    units,
    file,
    text,
    problems,
    lastLoad,
    validated,
    error,
    busy,
    viewShown,
    groups,
    byChild,
    open,
    reload,
    validate,
    act,
    keep,
    startListening,
  };
});
