// Token checks for headless mode: the URL's `?token=` once, then an HttpOnly cookie for the page's assets.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'proctor_token';

export function tokenMatches(candidate: string | null | undefined, token: string): boolean {
  if (!candidate) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function tokenFromQuery(request: IncomingMessage): string | null {
  return new URL(request.url ?? '/', 'http://local').searchParams.get('token');
}

export function tokenFromCookie(request: IncomingMessage): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/** Browsers always send Origin on a WebSocket upgrade: only our own page's origin may connect. */
export function originAllowed(request: IncomingMessage, allowedOrigins: ReadonlySet<string>): boolean {
  const origin = request.headers.origin;
  return origin === undefined || allowedOrigins.has(origin);
}
