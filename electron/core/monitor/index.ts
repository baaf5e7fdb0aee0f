export type { ProcessSource, ProcessUsage, Watched } from './source';
export { createDefaultSource } from './source';
export { ProcSource, type ProcSourceOptions } from './proc-source';
export { PsListSource } from './pslist-source';
export { Monitor, type MonitorOptions } from './monitor';
export { familyOf, type SupervisedInfo } from './classify';
export { buildForest, descendants, type Forest } from './tree';
