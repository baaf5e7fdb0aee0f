// Headless mode: the built renderer over HTTP and the contract over a WebSocket, on loopback, behind a token.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Backend } from '../../shared/contract';
import { WS_CLOSE_UNAUTHORIZED, WS_PATH } from '../../shared/wire';
import { TOKEN_COOKIE, originAllowed, tokenFromCookie, tokenFromQuery, tokenMatches } from './auth';
import { serveContract } from './socket';
import { serveStatic } from './static-files';

export interface HeadlessServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startHeadlessServer(
  backend: Backend,
  options: { host: string; port: number; token: string; rendererRoot: string },
): Promise<HeadlessServer> {
  const { token } = options;
  const allowedOrigins = new Set<string>();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });

  const http: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://local');
    const queryToken = tokenFromQuery(request);
    if (!tokenMatches(queryToken, token) && !tokenMatches(tokenFromCookie(request), token)) {
      response.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('401: open the URL that `npm run serve` printed, token included');
      return;
    }
    if (queryToken) {
      response.setHeader(
        'Set-Cookie',
        `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
      );
    }
    void serveStatic(options.rendererRoot, url.pathname, response);
  });

  http.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://local').pathname;
    if (path !== WS_PATH || !originAllowed(request, allowedOrigins)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
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
