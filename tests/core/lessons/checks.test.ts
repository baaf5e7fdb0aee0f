// The checks judge evidence: with no claims printed and nothing seen by the monitor, every lesson's
// every check fails and says what it missed. (lessons.test.ts shows they pass on real runs.)
import { describe, expect, it } from 'vitest';
import { CHECKS, exitedCleanly } from '../../../electron/core/lessons/checks';
import { Claims } from '../../../electron/core/lessons/claims';
import { Observed } from '../../../electron/core/lessons/observer';

describe('checks without evidence', () => {
  for (const [id, check] of Object.entries(CHECKS)) {
    it(`${id}: every check fails and says why`, () => {
      const results = check({
        main: 4242,
        guard: 4241,
        exitcode: 0,
        claims: new Claims([]),
        seen: new Observed([]),
        graph: { childId: 'c1', nodes: [], edges: [], objects: [], roles: {} },
        dir: '/nonexistent',
      });
      expect(results.length).toBeGreaterThan(0);
      for (const result of results) {
        expect(result.passed, result.label.en).toBe(false);
        expect(result.observed.en.length).toBeGreaterThan(0);
        // Said in Chinese too: what is left once the Chinese and the pids are taken out is Python's own names.
        expect(result.observed['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
        expect(result.label['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      }
    });
  }

  it('a program that exited non-zero fails the last check', () => {
    expect(exitedCleanly(1)).toMatchObject({
      passed: false,
      observed: { en: 'exitcode 1', 'zh-CN': '退出码 1' },
    });
    expect(exitedCleanly(0).passed).toBe(true);
  });
});
