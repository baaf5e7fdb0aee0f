// What a process's cgroup means: the systemd unit or scope it runs in, and the container it belongs to.

export type ContainerRuntime = 'docker' | 'podman' | 'kubernetes' | 'containerd' | 'cri-o' | 'lxc';

export interface CgroupInfo {
  /** The unified (v2) path, or on v1 the name=systemd (else memory) hierarchy's, e.g. `/system.slice/nginx.service`. */
  path: string;
  /** The innermost `.service` unit, e.g. `nginx.service`. */
  unit: string | null;
  /** The innermost `.scope`, e.g. `session-2.scope` or `docker-<id>.scope`. */
  scope: string | null;
  slice: string | null;
  container: { runtime: ContainerRuntime; id: string } | null;
}

const ID = '([0-9a-f]{64})';
/** Most specific first: a Kubernetes pod's container also carries a containerd or cri-o id. */
const CONTAINERS: Array<{ runtime: ContainerRuntime; pattern: RegExp }> = [
  { runtime: 'kubernetes', pattern: new RegExp(`kubepods.*?(?:docker-|cri-containerd-|crio-|/)${ID}`) },
  { runtime: 'podman', pattern: new RegExp(`libpod-(?:conmon-)?${ID}`) },
  { runtime: 'docker', pattern: new RegExp(`(?:docker-${ID}\\.scope|/docker/${ID})`) },
  { runtime: 'cri-o', pattern: new RegExp(`crio-${ID}`) },
  { runtime: 'containerd', pattern: new RegExp(`cri-containerd-${ID}`) },
  { runtime: 'lxc', pattern: /\/lxc(?:\.payload)?[./]([\w.-]+)/ },
];

/** Parses /proc/PID/cgroup (`hierarchy-id:controllers:path` per line); null when there is no line. */
export function parseCgroup(text: string): CgroupInfo | null {
  const lines = text
    .split('\n')
    .map((line) => /^(\d+):([^:]*):(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null);
  // Pure v2 has the one line `0::/path`. On a v1 or hybrid host the unified line may only be systemd's
  // tracking (a container under cgroupfs still shows containerd.service there): the name=systemd
  // hierarchy, else the memory one, says where the process is.
  const chosen =
    lines.find((m) => m[2] === 'name=systemd') ??
    lines.find((m) => m[2]!.split(',').includes('memory')) ??
    lines.find((m) => m[1] === '0' && m[2] === '') ??
    lines[0];
  if (!chosen) return null;
  const path = chosen[3]!;
  const parts = path.split('/');
  const last = (suffix: string) => [...parts].reverse().find((part) => part.endsWith(suffix)) ?? null;
  let container: CgroupInfo['container'] = null;
  for (const { runtime, pattern } of CONTAINERS) {
    const found = lines.map((m) => pattern.exec(m[3]!)).find((match) => match !== null);
    if (found) {
      container = { runtime, id: (found[1] ?? found[2])! };
      break;
    }
  }
  return { path, unit: last('.service'), scope: last('.scope'), slice: last('.slice'), container };
}
