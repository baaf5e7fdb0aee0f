// Token checks for headless mode: the URL's `?token=` once, then an HttpOnly cookie for the page's assets;
// and the Host and Origin checks that keep other sites (DNS rebinding, cross-site sockets) out.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isLoopback } from './options';

export const TOKEN_COOKIE = 'proctor_token';

export function tokenMatches(candidate: string | null | undefined, token: string): boolean {
  if (!candidate) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function tokenFromQuery(request: IncomingMessage): string | null {
  return requestUrl(request)?.searchParams.get('token') ?? null;
}

/** The request's URL, or null when its target is not one (`GET //` is, `GET http://[` is not). */
export function requestUrl(request: IncomingMessage): URL | null {
  try {
    return new URL(request.url ?? '/', 'http://local');
  } catch {
    return null;
  }
}

export function tokenFromCookie(request: IncomingMessage): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name !== TOKEN_COOKIE) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      // A cookie that does not decode (`proctor_token=%`) is no token, not an error.
      return null;
    }
  }
  return null;
}

/**
 * The WebSocket upgrade: our own page, or a page of another Proctor (the machine switcher: a window served
 * by backend A watching this backend B) that offers a token. The socket never reads the cookie, the only
 * credential a browser sends by itself, so a foreign page gets in only with the 256-bit token the user gave
 * it; a wrong one is then refused with a close code it can read and name. Offering none is refused at once.
 */
export function upgradeOriginAllowed(request: IncomingMessage, allowedOrigins: ReadonlySet<string>): boolean {
  // Browsers always send Origin; none is a program (the CLI, a test), not a page.
  const origin = request.headers.origin;
  return origin === undefined || allowedOrigins.has(origin) || Boolean(tokenFromQuery(request));
}

/** `host` or `host:port` as a Host header spells it; an IPv6 address in brackets. */
function hostName(header: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(header);
  if (bracketed) return bracketed[1]!.toLowerCase();
  return header.replace(/:\d+$/, '').toLowerCase();
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::']);

/**
 * Jupyter's defence against DNS rebinding: a page on evil.example that resolves to 127.0.0.1 still
 * says `Host: evil.example`. Only loopback names and the bound host are ours; bound to every
 * interface (`--host 0.0.0.0`, already warned about), any name may reach us.
 */
export function hostAllowed(request: IncomingMessage, boundHost: string): boolean {
  if (WILDCARD_HOSTS.has(boundHost)) return true;
  const header = request.headers.host;
  if (header === undefined) return false;
  const name = hostName(header);
  return isLoopback(name) || name === hostName(boundHost.includes(':') ? `[${boundHost}]` : boundHost);
}
