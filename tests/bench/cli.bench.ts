import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectSocket } from '../../electron/client/socket-client';
import { ProctorService } from '../../electron/core/service';
import { listenContractSocket } from '../../electron/server/unix-socket';
import { BUILT_PROCTOR, ensureBuilt } from '../support/cli';
import { repoRoot } from '../support/in-process-server';
import { median, type BenchPart } from './report';

// `proctor ps --json` against `pm2 jlist`: each a cold command-line process asking its running daemon for
// its list, one child supervised on each side, rounds alternating so machine noise hits both alike. Then
// the socket's own cost: one warm invoke round trip.
const ROUNDS = 7;
const INVOKES = 2000;
const PM2 = join(repoRoot, 'node_modules', 'pm2', 'bin', 'pm2');

function timed(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    execFile(process.execPath, args, { env: { ...process.env, ...env } }, (error) =>
      error ? reject(error) : resolve(performance.now() - started),
    );
  });
}

const bench: BenchPart = async (report) => {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'proctor-bench-cli-'));
  const socket = join(dir, 'proctor.sock');
  const pm2Env = { PM2_HOME: join(dir, 'pm2') };
  const service = new ProctorService({ version: 'bench', transport: 'websocket' });
  await service.start();
  const server = await listenContractSocket(service, socket);
  try {
    await service.invoke('children:start', { command: 'sleep', args: ['600'], name: 'bench' });
    spawnSync(process.execPath, [PM2, 'start', 'sleep', '--name', 'bench', '--', '600'], {
      env: { ...process.env, ...pm2Env },
      stdio: 'ignore',
    });
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      ours.push(await timed([BUILT_PROCTOR, 'ps', '--json'], { PROCTOR_SOCKET: socket }));
      theirs.push(await timed([PM2, 'jlist'], pm2Env));
    }
    report.add({
      area: 'cli',
      name: 'ps_ms',
      value: median(ours),
      unit: 'ms',
      note: 'proctor ps --json, cold',
    });
    report.add({
      area: 'cli',
      name: 'pm2_jlist_ms',
      value: median(theirs),
      unit: 'ms',
      note: 'pm2 jlist, cold',
    });
    report.add({
      area: 'cli',
      name: 'ps_vs_pm2',
      value: median(theirs) / median(ours),
      unit: 'ratio',
      note: "pm2's time / ours, target ≥ 2",
    });

    const client = await connectSocket(socket);
    for (let i = 0; i < 200; i++) await client.invoke('app:info', {});
    const started = performance.now();
    for (let i = 0; i < INVOKES; i++) await client.invoke('app:info', {});
    const perInvokeUs = ((performance.now() - started) * 1000) / INVOKES;
    client.close();
    report.add({
      area: 'cli',
      name: 'invoke_us',
      value: perInvokeUs,
      unit: 'µs',
      note: 'app:info over the socket, warm',
    });
  } finally {
    spawnSync(process.execPath, [PM2, 'kill'], { env: { ...process.env, ...pm2Env }, stdio: 'ignore' });
    await server.close();
    await service.shutdown('terminate');
    rmSync(dir, { recursive: true, force: true });
  }
};
export default bench;
