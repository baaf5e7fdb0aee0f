// The list of machines and the switch between them. A switch reloads the page: every store (tree,
// supervised children, programs, logs, notifications) then starts empty and subscribes afresh to the
// chosen backend, so nothing of one machine can linger in the view of another.
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { useMachine } from '../api';
import {
  LOCAL_MACHINE_ID,
  chooseMachine,
  newMachineId,
  parseAddress,
  readMachines,
  writeMachines,
  type AddressProblem,
  type Machine,
} from '../api/machines';
import { probeMachine, type ProbeProblem } from '../api/probe';

export interface MachineDraft {
  /** Absent for a new machine. */
  id?: string;
  name: string;
  address: string;
  token: string;
}

export type MachineProblem = AddressProblem | ProbeProblem | 'noToken' | 'duplicate';
export type SaveResult = { ok: true } | { ok: false; problem: MachineProblem };

/** The page's own origin, when a backend served it (not in Electron, whose page is a file). */
function ownOrigin(): string | null {
  return location.protocol === 'http:' ? location.origin : null;
}

export const useMachinesStore = defineStore('machines', () => {
  const machines = shallowRef<Machine[]>(readMachines());
  const current = useMachine();

  function keep(next: Machine[]): void {
    machines.value = next;
    writeMachines(next);
  }

  function switchTo(id: string): void {
    chooseMachine(id);
    location.reload();
  }

  /**
   * Checks a new or changed machine by connecting to it before it is kept, so a typo, a wrong token or a
   * tunnel that is down is said at once; on any problem nothing is kept and the form keeps what was typed.
   */
  async function save(draft: MachineDraft): Promise<SaveResult> {
    const before = machines.value.find((machine) => machine.id === draft.id);
    if (before?.id === LOCAL_MACHINE_ID) {
      keep(
        machines.value.map((machine) =>
          machine === before ? { ...machine, name: draft.name.trim() } : machine,
        ),
      );
      return { ok: true };
    }
    const address = parseAddress(draft.address, ownOrigin());
    if (!address.ok) return address;
    const token = draft.token.trim() || address.token;
    if (!token) return { ok: false, problem: 'noToken' };
    if (machines.value.some((machine) => machine.url === address.url && machine.id !== draft.id))
      return { ok: false, problem: 'duplicate' };
    const probe = await probeMachine(address.url, token);
    if (!probe.ok) return probe;
    const saved: Machine = {
      id: before?.id ?? newMachineId(),
      name: draft.name.trim() || probe.info.hostname,
      url: address.url,
      token,
    };
    keep(
      before
        ? machines.value.map((machine) => (machine === before ? saved : machine))
        : [...machines.value, saved],
    );
    // The machine on screen got a new address or token: connect with them.
    if (saved.id === current.id && (saved.url !== current.url || saved.token !== current.token))
      switchTo(saved.id);
    return { ok: true };
  }

  function remove(id: string): void {
    if (id === LOCAL_MACHINE_ID) return;
    keep(machines.value.filter((machine) => machine.id !== id));
    if (id === current.id) switchTo(LOCAL_MACHINE_ID);
  }

  return { machines, current, save, remove, switchTo };
});
