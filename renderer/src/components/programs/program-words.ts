// The stack's codes in the user's language: states, conditions, why a program waits or is blocked, and
// what is wrong with a file. The backend sends codes with parameters; the words are chosen here.
import { useI18n } from 'vue-i18n';
import type { ProgramCondition, ProgramReason, ProgramState, StackProblem } from '../../../../shared/model';

export interface ProgramWords {
  state(state: ProgramState): string;
  condition(condition: ProgramCondition): string;
  reason(reason: ProgramReason | null): string;
  problem(problem: StackProblem): string;
  /** `file:line:col`, as compilers print it; only the parts it has. */
  place(problem: StackProblem): string;
}

export function useProgramWords(): ProgramWords {
  const { t } = useI18n();
  const condition = (c: ProgramCondition): string => t(`programsView.condition.${c}`);
  /** A condition among the parameters is a code too: it is worded like the rest. */
  const worded = (params: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...params };
    if (typeof params.condition === 'string') out.condition = condition(params.condition as ProgramCondition);
    if (params.exitcode === null) out.exitcode = t('programsView.none');
    return out;
  };
  return {
    state: (state) => t(`programsView.state.${state}`),
    condition,
    reason: (reason) => (reason === null ? '' : t(`programReasons.${reason.code}`, worded(reason.params))),
    problem: (problem) => t(`programsView.problem.${problem.code}`, worded(problem.params)),
    place: (problem) => [problem.file, problem.line, problem.col].filter((part) => part !== null).join(':'),
  };
}
