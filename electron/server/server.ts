// Headless mode: the built renderer over HTTP and the contract over a WebSocket, on loopback, behind a token.
// No request or frame, however malformed, may end the process: every socket has an error listener and
// every handler's failure is logged and answered to its own client only.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Backend } from '../../shared/contract';
import { WS_CLOSE_UNAUTHORIZED, WS_PATH } from '../../shared/wire';
import type { MetricsSource } from '../core/metrics/lazy';
import {
  TOKEN_COOKIE,
  hostAllowed,
  requestUrl,
  tokenFromCookie,
  tokenFromQuery,
  tokenMatches,
  upgradeOriginAllowed,
} from './auth';
import { logClientError } from './client-errors';
import { METRICS_PATH, serveMetrics } from './metrics-route';
import { serveContract } from './socket';
import { serveStatic } from './static-files';

export interface HeadlessServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The largest frame a client may send; the contract's largest request is far below it. */
const MAX_FRAME_BYTES = 1024 * 1024;

function answer(response: ServerResponse, status: number, text: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
}

export async function startHeadlessServer(
  backend: Backend,
  options: { host: string; port: number; token: string; rendererRoot: string; metrics?: MetricsSource },
): Promise<HeadlessServer> {
  const { token } = options;
  const allowedOrigins = new Set<string>();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  // Headless mode always passes its metrics; a server built without them has no /metrics.
  const metrics = options.metrics && { metrics: options.metrics, token, allowedOrigins };
  const serveRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const url = requestUrl(request);
    if (url === null) return answer(response, 400, '400: not a request target');
    if (!hostAllowed(request, options.host))
      return answer(response, 403, '403: this Host is not served here');
    if (metrics && url.pathname === METRICS_PATH) return void serveMetrics(request, response, metrics);
    const queryToken = tokenFromQuery(request);
    if (!tokenMatches(queryToken, token) && !tokenMatches(tokenFromCookie(request), token)) {
      return answer(response, 401, '401: open the URL that `npm run serve` printed, token included');
    }
    if (queryToken) {
      response.setHeader(
        'Set-Cookie',
        `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
      );
    }
    serveStatic(options.rendererRoot, url.pathname, response).catch((error: unknown) => {
      logClientError('static file', error);
      answer(response, 500, '500: could not read that file');
    });
  };

  const http: Server = createServer((request, response) => {
    try {
      serveRequest(request, response);
    } catch (error) {
      logClientError('HTTP request', error);
      answer(response, 500, '500: internal error');
    }
  });

  http.on('upgrade', (request: IncomingMessage, socket, head: Buffer) => {
    const onUpgradeError = (error: Error): void => logClientError('WebSocket upgrade', error);
    socket.on('error', onUpgradeError);
    const url = requestUrl(request);
    if (
      url?.pathname !== WS_PATH ||
      !hostAllowed(request, options.host) ||
      !upgradeOriginAllowed(request, allowedOrigins)
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      // From here ws handles the socket's errors: a page closed mid-session resets the connection, which
      // is a goodbye, not a fault to log.
      socket.off('error', onUpgradeError);
      // A frame too big, of an unknown opcode or bad UTF-8 is an 'error' on this socket, which ws
      // then closes; with no listener it would throw and end the process.
      ws.on('error', (error) => logClientError('WebSocket frame', error));
      // Upgrade first, then refuse: a browser can read a close code, never an HTTP status.
      if (!tokenMatches(tokenFromQuery(request), token)) {
        ws.close(WS_CLOSE_UNAUTHORIZED, 'missing or wrong token');
        return;
      }
      serveContract(ws, backend);
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, resolve);
  });
  const port = (http.address() as AddressInfo).port;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  for (const host of [shownHost, 'localhost', '127.0.0.1']) allowedOrigins.add(`http://${host}:${port}`);

  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
