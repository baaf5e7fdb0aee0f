// Whether a dependent may start: each `depends_on` condition over every replica of its dependency is
// met, still to come (waiting), or can never be met (blocked), with the reason as a code and words.
import { programReason } from '../../../shared/program-reasons';
import type { ProgramCondition, ProgramReason } from '../../../shared/model';

/** What the gate needs to know about one replica of a dependency. */
export interface UnitFacts {
  disabled: boolean;
  /** Asked to start, its own conditions not met yet. */
  pending: boolean;
  blocked: boolean;
  /** Its current run reached `running`. */
  started: boolean;
  healthy: boolean;
  logReady: boolean;
  /** Its run is over and no restart is coming. */
  settled: boolean;
  exitcode: number | null;
  successExitCodes: readonly number[];
}

export type Verdict = { kind: 'met' } | { kind: 'wait' } | { kind: 'never'; reason: ProgramReason };

const MET: Verdict = { kind: 'met' };
const WAIT: Verdict = { kind: 'wait' };

function unitVerdict(dependency: string, condition: ProgramCondition, unit: UnitFacts): Verdict {
  if (unit.disabled)
    return { kind: 'never', reason: programReason({ code: 'dependency_disabled', params: { dependency } }) };
  if (unit.pending) {
    return unit.blocked
      ? { kind: 'never', reason: programReason({ code: 'dependency_blocked', params: { dependency } }) }
      : WAIT;
  }
  const ended: Verdict = {
    kind: 'never',
    reason: programReason({
      code: 'dependency_ended',
      params: { dependency, condition, exitcode: unit.exitcode },
    }),
  };
  switch (condition) {
    case 'started':
      return unit.started ? MET : unit.settled ? ended : WAIT;
    case 'healthy':
      return unit.healthy ? MET : unit.settled ? ended : WAIT;
    case 'log_ready':
      return unit.logReady ? MET : unit.settled ? ended : WAIT;
    case 'completed':
      if (!unit.settled) return WAIT;
      return unit.exitcode === null ? ended : MET;
    case 'completed_successfully':
      if (!unit.settled) return WAIT;
      return unit.exitcode !== null && unit.successExitCodes.includes(unit.exitcode) ? MET : ended;
  }
}

export interface Dependency {
  name: string;
  condition: ProgramCondition;
  units: readonly UnitFacts[];
}

export type Gate = { kind: 'start' } | { kind: 'waiting' | 'blocked'; reason: ProgramReason };

/** Blocked if any condition can never be met; else waiting for the first unmet one; else start. */
export function gate(dependencies: readonly Dependency[]): Gate {
  let waiting: Gate | null = null;
  for (const { name, condition, units } of dependencies) {
    for (const unit of units) {
      const verdict = unitVerdict(name, condition, unit);
      if (verdict.kind === 'never') return { kind: 'blocked', reason: verdict.reason };
      if (verdict.kind === 'wait')
        waiting ??= {
          kind: 'waiting',
          reason: programReason({ code: 'waiting_for', params: { dependency: name, condition } }),
        };
    }
  }
  return waiting ?? { kind: 'start' };
}
