// GET /metrics for Prometheus: the text exposition, to a scraper that holds the token as a bearer.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsSource } from '../core/metrics/lazy';
import { tokenMatches } from './auth';

export const METRICS_PATH = '/metrics';

export interface MetricsAccess {
  metrics: MetricsSource;
  /** null: no bearer asked (the desktop app's loopback port); the Host must then name the loopback port. */
  token: string | null;
  /** With no token: the Host values a request may carry, so a DNS-rebound page cannot read it. */
  hosts?: ReadonlySet<string>;
  /** Browser origins allowed to read it (the headless page's own); Prometheus sends no Origin. */
  allowedOrigins: ReadonlySet<string>;
}

function bearer(request: IncomingMessage): string | null {
  const match = /^Bearer +(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match ? match[1]! : null;
}

function refuse(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers }).end(`${text}\n`);
}

/**
 * Only `Authorization: Bearer <token>` opens it: Prometheus' `authorization` scrape setting sends
 * exactly that, a browser never does so on its own (no cookie or `?token=` counts here), and a page of
 * another origin is refused outright, before its token is even looked at.
 */
export async function serveMetrics(
  request: IncomingMessage,
  response: ServerResponse,
  access: MetricsAccess,
): Promise<void> {
  const origin = request.headers.origin;
  if (origin !== undefined && !access.allowedOrigins.has(origin))
    return refuse(response, 403, `403: /metrics is not readable from ${origin}`);
  if (access.token === null) {
    if (!access.hosts?.has(request.headers.host ?? ''))
      return refuse(response, 421, `421: /metrics answers at 127.0.0.1 only`);
  } else if (!tokenMatches(bearer(request), access.token))
    return refuse(response, 401, '401: /metrics needs the header Authorization: Bearer <token>', {
      'WWW-Authenticate': 'Bearer realm="proctor"',
    });
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return refuse(response, 405, '405: /metrics answers GET only', { Allow: 'GET, HEAD' });
  try {
    const body = await access.metrics.render();
    response.writeHead(200, {
      'Content-Type': access.metrics.contentType,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  } catch (error) {
    refuse(response, 500, `500: the metrics could not be rendered: ${(error as Error).message}`);
  }
}

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * `--metrics-port N`: /metrics alone, on 127.0.0.1 whatever `--host` says, behind the same token; the
 * desktop app's metrics port has none (token null): loopback only, as Prometheus on the same machine reads it.
 */
export async function startMetricsServer(
  metrics: MetricsSource,
  options: { port: number; token: string | null },
): Promise<MetricsServer> {
  // A port of its own is opened to be scraped: the counting starts now, not at the first scrape.
  await metrics.load();
  const hosts = new Set<string>();
  const access: MetricsAccess = { metrics, token: options.token, hosts, allowedOrigins: new Set() };
  const http: Server = createServer((request, response) => {
    if (new URL(request.url ?? '/', 'http://local').pathname !== METRICS_PATH)
      return refuse(response, 404, `404: this port serves ${METRICS_PATH} only`);
    void serveMetrics(request, response, access);
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, '127.0.0.1', resolve);
  });
  const port = (http.address() as AddressInfo).port;
  hosts.add(`127.0.0.1:${port}`).add(`localhost:${port}`);
  return {
    url: `http://127.0.0.1:${port}${METRICS_PATH}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
