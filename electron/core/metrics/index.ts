export { ProctorMetrics } from './metrics';
export { FamilyMeter, type FamilyFigures, type TickSource } from './families';
export { programLabels, type ProgramLabels } from './labels';
