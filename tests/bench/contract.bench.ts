import { ProctorService } from '../../electron/core/service';
import { median, type BenchPart } from './report';

/**
 * What `processes:delta` costs on the wire with a steady process table: each tick's event frame, as the
 * WebSocket sends it, against the frame a fresh client's full snapshot takes.
 */
const bench: BenchPart = async (report) => {
  const service = new ProctorService({
    version: 'bench',
    transport: 'websocket',
  });
  const frames: number[] = [];
  service.on('processes:delta', (payload) => {
    frames.push(Buffer.byteLength(JSON.stringify({ kind: 'event', name: 'processes:delta', payload })));
  });
  await service.monitor.tick();
  for (let i = 0; i < 15; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await service.monitor.tick();
  }
  const snapshot = service.monitor.snapshot();
  const snapshotBytes = Buffer.byteLength(
    JSON.stringify({ kind: 'result', id: 1, result: { ok: true, value: snapshot } }),
  );
  await service.shutdown('terminate');
  // The first delta after the warm-up tick is a full table of additions: steady state starts after it.
  const steady = median(frames.slice(2));
  report.add({
    area: 'contract',
    name: 'snapshot_bytes',
    value: snapshotBytes,
    unit: 'B',
    note: `${snapshot.rows.length} processes`,
  });
  report.add({ area: 'contract', name: 'delta_bytes_median', value: steady, unit: 'B' });
  report.add({
    area: 'contract',
    name: 'delta_share',
    value: steady / snapshotBytes,
    unit: 'ratio',
    note: 'target ≤ 0.05',
  });
};
export default bench;
