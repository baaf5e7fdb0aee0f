// NAME… on the command line: a child's id, its name (every child of that name), or `all`.
import type { ChildInfo } from '../../shared/model';
import { CliFailure } from './failure';

function matching(children: readonly ChildInfo[], target: string): ChildInfo[] {
  const byId = children.filter((child) => child.id === target);
  return byId.length > 0 ? byId : children.filter((child) => child.name === target);
}

const noSuchChild = (target: string): CliFailure =>
  new CliFailure(
    `E_NO_SUCH_CHILD: there is no supervised child with the id or name ${JSON.stringify(target)}`,
  );

/** Every child the targets name, each once, in the backend's order. */
export function selectChildren(children: readonly ChildInfo[], targets: readonly string[]): ChildInfo[] {
  if (targets.includes('all')) return [...children];
  const chosen = new Set<ChildInfo>();
  for (const target of targets) {
    const found = matching(children, target);
    if (found.length === 0) throw noSuchChild(target);
    found.forEach((child) => chosen.add(child));
  }
  return children.filter((child) => chosen.has(child));
}

/** The one child a target names; a name several children share has to be given as an id. */
export function selectChild(children: readonly ChildInfo[], target: string): ChildInfo {
  const found = matching(children, target);
  if (found.length === 0) throw noSuchChild(target);
  if (found.length > 1)
    throw new CliFailure(
      `${found.length} children are named ${JSON.stringify(target)} (${found.map((child) => child.id).join(', ')}); give one id`,
    );
  return found[0]!;
}
