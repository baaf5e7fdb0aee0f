// The Supervisor's public API; the service and the tests import from here only.
export { Supervisor, type KeepExited, type SupervisorOptions } from './supervisor';
export { Child } from './child';
export type { GuardStatus } from './guard';
export { OutputRing, type OutputBlock, type OutputListener } from './output';
