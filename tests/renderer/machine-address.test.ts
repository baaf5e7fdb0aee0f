// What the machine switcher accepts as another machine's address: loopback with a port (headless mode
// binds 127.0.0.1; another computer is reached through `ssh -L`), the printed URL's token taken along.
import { describe, expect, it } from 'vitest';
import { parseAddress, socketUrl } from '../../renderer/src/api/machines';

const OWN = 'http://127.0.0.1:40123';

describe('parseAddress', () => {
  it('takes a bare host:port, a URL, and the whole printed URL with its token', () => {
    expect(parseAddress('127.0.0.1:7001', OWN)).toEqual({
      ok: true,
      url: 'http://127.0.0.1:7001',
      token: null,
    });
    expect(parseAddress(' http://localhost:7001/ ', OWN)).toEqual({
      ok: true,
      url: 'http://localhost:7001',
      token: null,
    });
    expect(parseAddress('http://127.0.0.1:7001/?token=abc-DEF_1', OWN)).toEqual({
      ok: true,
      url: 'http://127.0.0.1:7001',
      token: 'abc-DEF_1',
    });
  });

  it('refuses what is not an address, or has no port, or is not http', () => {
    for (const text of ['', '   ', 'http://[', '127.0.0.1', 'ws://127.0.0.1:7001', 'https://127.0.0.1:7001'])
      expect(parseAddress(text, OWN)).toEqual({ ok: false, problem: 'malformed' });
  });

  it('refuses another computer’s address: the socket would leave loopback (the page’s policy forbids it)', () => {
    for (const text of ['10.1.2.3:7000', 'http://build-box:7000', 'http://[::1]:7000'])
      expect(parseAddress(text, OWN)).toEqual({ ok: false, problem: 'notLoopback' });
  });

  it('refuses this page’s own backend, under either loopback name', () => {
    expect(parseAddress('localhost:40123', OWN)).toEqual({ ok: false, problem: 'thisMachine' });
    expect(parseAddress('localhost:40123', null)).toMatchObject({ ok: true });
  });
});

it('socketUrl is the contract path with the token encoded', () => {
  expect(socketUrl('http://127.0.0.1:7001', 'a+b/c')).toBe('ws://127.0.0.1:7001/ws?token=a%2Bb%2Fc');
});
