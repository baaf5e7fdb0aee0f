// The readers that need hardware or hosts this machine does not have, on recorded files.
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCgroup } from '../../../../electron/core/monitor/readers/cgroup';
import { engineBusyPct, parseDrmFdinfo } from '../../../../electron/core/monitor/readers/drm-fdinfo';
import { parseComputeApps } from '../../../../electron/core/monitor/readers/nvidia';
import { scanFds } from '../../../../electron/core/monitor/readers/fd-scan';
import { SocketTables } from '../../../../electron/core/monitor/readers/sockets';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures');
const read = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');
const ID = '3f4b5a2c9d8e7f6a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a7b8c';

describe('parseCgroup', () => {
  it('names the systemd unit, scope and slice', () => {
    expect(parseCgroup(read('cgroup/systemd-service.cgroup'))).toEqual({
      path: '/system.slice/nginx.service',
      unit: 'nginx.service',
      scope: null,
      slice: 'system.slice',
      container: null,
    });
    expect(parseCgroup(read('cgroup/user-session.cgroup'))).toMatchObject({
      unit: null,
      scope: 'session-2.scope',
      slice: 'user-1000.slice',
    });
  });

  it('finds the container id of Docker (v2 and v1), Podman and Kubernetes', () => {
    expect(parseCgroup(read('cgroup/docker-v2.cgroup'))?.container).toEqual({ runtime: 'docker', id: ID });
    // On v1 the name=systemd hierarchy is the one that places it, not the unified line's containerd.service.
    expect(parseCgroup(read('cgroup/docker-v1.cgroup'))).toMatchObject({
      path: `/docker/${ID}`,
      container: { runtime: 'docker', id: ID },
    });
    expect(parseCgroup(read('cgroup/podman.cgroup'))?.container).toEqual({
      runtime: 'podman',
      id: '9a8b7c6d5e4f30211a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a8b',
    });
    expect(parseCgroup(read('cgroup/kubernetes.cgroup'))).toMatchObject({
      slice: 'kubepods-burstable-pod2d6c5a1e_7b3f_4e2a_9c1d_0f8e7a6b5c4d.slice',
      container: {
        runtime: 'kubernetes',
        id: '5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c',
      },
    });
  });

  it("reads this test's own cgroup file, and nothing from an empty one", () => {
    expect(parseCgroup(readFileSync('/proc/self/cgroup', 'utf8'))?.path).toMatch(/^\//);
    expect(parseCgroup('')).toBeNull();
  });
});

describe('parseDrmFdinfo', () => {
  it('reads i915: engines in ns, capacity, memory regions in MiB', () => {
    const client = parseDrmFdinfo(read('drm/i915.fdinfo'))!;
    expect(client).toMatchObject({ driver: 'i915', clientId: '7', pdev: '0000:00:02.0' });
    expect(client.engineNs).toEqual({ render: 9288864, copy: 0, video: 2000000, 'video-enhance': 0 });
    expect(client.capacity).toEqual({ video: 2 });
    expect(client.memory['total-system0']).toBe(24 * 1024 ** 2);
    expect(client.memory['shared-system0']).toBe(0);
  });

  it('turns two i915 readings a second apart into busy percent, per engine capacity', () => {
    const before = parseDrmFdinfo(read('drm/i915.fdinfo'))!;
    const after = parseDrmFdinfo(read('drm/i915-later.fdinfo'))!;
    // render: 500 ms busy in 1 s; video: 1000 ms over two engines.
    expect(engineBusyPct(before, after, 1000)).toEqual({
      render: 50,
      copy: 0,
      video: 50,
      'video-enhance': 0,
    });
  });

  it('reads amdgpu: VRAM and GTT in KiB, its engines, and leaves the amd-* keys alone', () => {
    const client = parseDrmFdinfo(read('drm/amdgpu.fdinfo'))!;
    expect(client).toMatchObject({ driver: 'amdgpu', clientId: '8', pdev: '0000:03:00.0' });
    expect(client.memory).toEqual({
      'memory-vram': 40300 * 1024,
      'memory-gtt': 2048 * 1024,
      'memory-cpu': 0,
    });
    expect(client.engineNs.gfx).toBe(1449420000);
    expect(Object.keys(client.engineNs)).toEqual(['gfx', 'compute', 'dma', 'dec', 'enc', 'enc_1']);
  });

  it('reads xe: engine cycles over total cycles', () => {
    const client = parseDrmFdinfo(read('drm/xe.fdinfo'))!;
    expect(client.engineCycles.rcs).toEqual({ busy: 28257900, total: 7655183225 });
    expect(client.memory['total-vram0']).toBe(23992 * 1024);
    const later = structuredClone(client);
    later.engineCycles.rcs = { busy: 28257900 + 250, total: 7655183225 + 1000 };
    expect(engineBusyPct(client, later, 1000).rcs).toBe(25);
  });

  it('is not a client without driver and client id', () => {
    expect(parseDrmFdinfo('pos:\t0\nflags:\t0100002\n')).toBeNull();
  });
});

describe('parseComputeApps', () => {
  it("reads nvidia-smi's csv in MiB, and no figure for [N/A]", () => {
    const apps = parseComputeApps('1234, 512, GPU-aaaa\n5678, [N/A], GPU-bbbb\n');
    expect(apps[0]).toEqual({ pid: 1234, usedMemoryBytes: 512 * 1024 ** 2, gpuUuid: 'GPU-aaaa' });
    expect(apps[1]!.usedMemoryBytes).toBeNaN();
  });
});

describe('SocketTables on recorded /proc/net tables', () => {
  // tests/fixtures/proc-net stands for /proc: its net/ holds one table of each kind.
  const tables = new SocketTables(join(FIXTURES, 'proc-net'));

  it('finds the sockets of the inodes asked about, in every table, and no others', () => {
    const found = tables.lookup(1, [501, 502, 503, 504, 505, 506, 999], '');
    expect(found.listening).toEqual([
      {
        proto: 'tcp',
        localAddress: '0.0.0.0',
        localPort: 8080,
        remoteAddress: '0.0.0.0',
        remotePort: 0,
        state: 'LISTEN',
        inode: 501,
      },
      {
        proto: 'tcp6',
        localAddress: '::',
        localPort: 22,
        remoteAddress: '::',
        remotePort: 0,
        state: 'LISTEN',
        inode: 503,
      },
      {
        proto: 'udp',
        localAddress: '0.0.0.0',
        localPort: 68,
        remoteAddress: '0.0.0.0',
        remotePort: 0,
        state: 'LISTEN',
        inode: 504,
      },
      { proto: 'unix', path: '/run/pymp-abc/listener-xyz', listening: true, inode: 505 },
    ]);
    expect(found.connections).toEqual([
      {
        proto: 'tcp',
        localAddress: '127.0.0.1',
        localPort: 8080,
        remoteAddress: '127.0.0.1',
        remotePort: 54000,
        state: 'ESTABLISHED',
        inode: 502,
      },
      { proto: 'unix', path: '', listening: false, inode: 506 },
    ]);
  });

  it('holds nothing for a process without sockets, nor for a closed socket (inode 0)', () => {
    expect(tables.lookup(1, [], '')).toEqual({ listening: [], connections: [] });
    expect(tables.lookup(1, [0], '')).toEqual({ listening: [], connections: [] });
  });

  it('reads the tcp tables (a walk of the whole connection hash) only for a socket the others lack', () => {
    const proc = mkdtempSync(join(tmpdir(), 'proctor-proc-net-'));
    cpSync(join(FIXTURES, 'proc-net'), proc, { recursive: true });
    const copy = new SocketTables(proc);
    // A unix socket is found without the tcp tables being read…
    expect(copy.lookup(1, [505], '').listening.map((socket) => socket.inode)).toEqual([505]);
    // …so a listener added to tcp since is there when first asked about: its table is read only now.
    appendFileSync(
      join(proc, 'net/tcp'),
      '   3: 00000000:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 777 1 0000000000000000 100 0 0 10 0\n',
    );
    expect(copy.lookup(1, [777], '').listening).toMatchObject([
      { proto: 'tcp', localPort: 3000, inode: 777 },
    ]);
    rmSync(proc, { recursive: true, force: true });
  });
});

describe('scanFds on a made-up /proc', () => {
  it('keeps the last scan while the fd numbers stay the same, and reads the links again when asked', () => {
    const proc = mkdtempSync(join(tmpdir(), 'proctor-proc-fd-'));
    mkdirSync(join(proc, '7/fd'), { recursive: true });
    mkdirSync(join(proc, '7/ns'));
    symlinkSync('net:[4026531840]', join(proc, '7/ns/net'));
    symlinkSync('socket:[501]', join(proc, '7/fd/3'));
    symlinkSync('/dev/dri/renderD128', join(proc, '7/fd/4'));
    const first = scanFds(7, proc);
    expect(first).toMatchObject({ sockets: [501], dri: [4], netns: 'net:[4026531840]' });
    if ('unreadable' in first) throw new Error('unreadable');
    // fd 3 closed and opened again as another socket: the same listing, so the last scan stands…
    rmSync(join(proc, '7/fd/3'));
    symlinkSync('socket:[502]', join(proc, '7/fd/3'));
    expect(scanFds(7, proc, first)).toBe(first);
    // …until the links are read again (the caller's periodic full scan), or the listing changes.
    expect(scanFds(7, proc)).toMatchObject({ sockets: [502] });
    symlinkSync('socket:[503]', join(proc, '7/fd/5'));
    expect(scanFds(7, proc, first)).toMatchObject({ sockets: [502, 503], dri: [4] });
    rmSync(proc, { recursive: true, force: true });
  });
});
