// NAME… on the command line: a program (or one replica, `name-i`), a child's id, a child's name (every child
// of that name), or `all`. A program's child is reached through its program, so that the orchestrator, not
// a bare child command, decides what happens next.
import type { ChildInfo, ProgramInfo } from '../../shared/model';
import { CliFailure } from './failure';

export interface Listed {
  programs: readonly ProgramInfo[];
  children: readonly ChildInfo[];
}

export interface Selected {
  /** Program or replica names for the `programs:*` commands, each once. */
  programs: string[];
  /** Children no program runs, in the backend's order. */
  children: ChildInfo[];
}

/** The children no program runs: started with `proctor run`, from the window, or by a lesson. */
export function adHoc({ programs, children }: Listed): ChildInfo[] {
  const owned = new Set(programs.map((program) => program.childId));
  return children.filter((child) => !owned.has(child.id));
}

/** The program or replica names a target means: its own name, its program's, or its child's id. */
function programsNamed(programs: readonly ProgramInfo[], target: string): string[] {
  if (programs.some((p) => p.program === target)) return [target];
  return programs.filter((p) => p.name === target || p.childId === target).map((p) => p.name);
}

function childrenNamed(children: readonly ChildInfo[], target: string): ChildInfo[] {
  const byId = children.filter((child) => child.id === target);
  return byId.length > 0 ? byId : children.filter((child) => child.name === target);
}

const noSuchTarget = (target: string): CliFailure =>
  new CliFailure(
    `E_NO_SUCH_CHILD: there is no program or supervised child with the id or name ${JSON.stringify(target)}`,
  );

/** Every program and ad-hoc child the targets name; a program's name wins over a child's. */
export function selectTargets(listed: Listed, targets: readonly string[]): Selected {
  const children = adHoc(listed);
  if (targets.includes('all'))
    return { programs: [...new Set(listed.programs.map((p) => p.program))], children };
  const programs = new Set<string>();
  const chosen = new Set<ChildInfo>();
  for (const target of targets) {
    const named = programsNamed(listed.programs, target);
    const found = named.length > 0 ? [] : childrenNamed(children, target);
    if (named.length === 0 && found.length === 0) throw noSuchTarget(target);
    named.forEach((name) => programs.add(name));
    found.forEach((child) => chosen.add(child));
  }
  return { programs: [...programs], children: children.filter((child) => chosen.has(child)) };
}

/** The children the targets name, a program standing for the children it runs (for kill and signal). */
export function childrenOfTargets(listed: Listed, targets: readonly string[]): ChildInfo[] {
  const { programs, children } = selectTargets(listed, targets);
  const running = new Set(
    listed.programs
      .filter((p) => programs.includes(p.program) || programs.includes(p.name))
      .map((p) => p.childId),
  );
  return listed.children.filter((child) => running.has(child.id) || children.includes(child));
}

const noSuchChild = (target: string): CliFailure =>
  new CliFailure(
    `E_NO_SUCH_CHILD: there is no supervised child with the id or name ${JSON.stringify(target)}`,
  );

/** Every child the targets name (by id or name, programs' children too), each once, in the backend's order. */
export function selectChildren(children: readonly ChildInfo[], targets: readonly string[]): ChildInfo[] {
  if (targets.includes('all')) return [...children];
  const chosen = new Set<ChildInfo>();
  for (const target of targets) {
    const found = childrenNamed(children, target);
    if (found.length === 0) throw noSuchChild(target);
    found.forEach((child) => chosen.add(child));
  }
  return children.filter((child) => chosen.has(child));
}

/** The one child a list of candidates holds; a name several children share has to be given as an id. */
export function onlyChild(found: readonly ChildInfo[], target: string): ChildInfo {
  if (found.length === 0) throw noSuchChild(target);
  if (found.length > 1)
    throw new CliFailure(
      `${found.length} children are named ${JSON.stringify(target)} (${found.map((child) => child.id).join(', ')}); give one id`,
    );
  return found[0]!;
}

/** The one child a target names by id or name. */
export function selectChild(children: readonly ChildInfo[], target: string): ChildInfo {
  return onlyChild(childrenNamed(children, target), target);
}
