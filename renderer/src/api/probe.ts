// Before a machine joins the list (or its address or token changes): one socket, one `app:info`, closed
// again. What went wrong is told apart, so the user reads which of address, token or server to fix.
import type { AppInfo } from '../../../shared/model';
import { WS_CLOSE_UNAUTHORIZED, type InvokeFrame, type ServerFrame } from '../../../shared/wire';
import { socketUrl } from './machines';

export type ProbeProblem = 'unauthorized' | 'unreachable' | 'notProctor';
export type ProbeResult = { ok: true; info: AppInfo } | { ok: false; problem: ProbeProblem };

/** A loopback server that is up answers in milliseconds; a tunnel to a far machine in well under this. */
const PROBE_WAIT_MS = 8_000;

export function probeMachine(machineUrl: string, token: string): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = new WebSocket(socketUrl(machineUrl, token));
    let opened = false;
    const settle = (result: ProbeResult): void => {
      clearTimeout(timer);
      resolve(result);
      socket.close();
    };
    const timer = setTimeout(() => settle({ ok: false, problem: 'unreachable' }), PROBE_WAIT_MS);
    socket.addEventListener('open', () => {
      opened = true;
      const frame: InvokeFrame = { kind: 'invoke', id: 1, name: 'app:info', request: {} };
      socket.send(JSON.stringify(frame));
    });
    socket.addEventListener('message', (message: MessageEvent<string>) => {
      try {
        const frame = JSON.parse(message.data) as ServerFrame;
        if (frame.kind !== 'result' || frame.id !== 1) return;
        settle(
          frame.result.ok
            ? { ok: true, info: frame.result.value as AppInfo }
            : { ok: false, problem: 'notProctor' },
        );
      } catch {
        settle({ ok: false, problem: 'notProctor' });
      }
    });
    socket.addEventListener('close', (event) => {
      if (event.code === WS_CLOSE_UNAUTHORIZED) settle({ ok: false, problem: 'unauthorized' });
      else settle({ ok: false, problem: opened ? 'notProctor' : 'unreachable' });
    });
  });
}
