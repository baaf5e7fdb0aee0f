// The port's types, checked by the compiler (`vue-tsc -b` type-checks this file): the response type
// follows the command's name, so no transport, window or test has to cast a result.
import { describe, expectTypeOf, it } from 'vitest';
import type { Backend, ProctorApi, Result } from '../../shared/contract';
import type { ChildInfo, MonitorStats, Settings } from '../../shared/model';
import type { ProctorService } from '../../electron/core/service';

declare const service: ProctorService;
declare const backend: Backend;

describe('typed invoke', () => {
  it("invoke('children:start', …) resolves to Result<ChildInfo>", () => {
    expectTypeOf(() =>
      service.invoke('children:start', { command: 'true', args: [] }),
    ).returns.resolves.toEqualTypeOf<Result<ChildInfo>>();
    expectTypeOf(() => backend.invoke('children:start', { command: 'true' })).returns.resolves.toEqualTypeOf<
      Result<ChildInfo>
    >();
  });

  it('follows the name for every command, and the service is the same port as the renderer api', () => {
    expectTypeOf(() => backend.invoke('settings:set', { graceMs: 10 })).returns.resolves.toEqualTypeOf<
      Result<Settings>
    >();
    expectTypeOf(() => backend.invoke('children:terminateAll', {})).returns.resolves.toEqualTypeOf<
      Result<ChildInfo[]>
    >();
    expectTypeOf(() => backend.invoke('monitor:stats', {})).returns.resolves.toEqualTypeOf<
      Result<MonitorStats>
    >();
    expectTypeOf<ProctorService>().toExtend<Backend>();
    expectTypeOf<ProctorApi>().toEqualTypeOf<Backend>();
  });

  it('refuses a request of the wrong shape at compile time', () => {
    // @ts-expect-error children:start needs a command
    expectTypeOf(() => backend.invoke('children:start', { args: [] })).toBeFunction();
    // @ts-expect-error there is no such command
    expectTypeOf(() => backend.invoke('children:launch', {})).toBeFunction();
  });
});
