/**
 * Email Series, the Composer's part (S6.1, S6.2): the series brief and plan, writing a plan as one
 * story, adding an email that fits, edit-all, and reading refine instructions. The series engine
 * (src/series) stores, checks and runs what this produces.
 */
export { SERIES_KINDS, SeriesBrief, type SeriesKind, type PlannedStep, type SeriesPlan } from '../model.ts';
export { SeriesWriter, type WrittenStep, type EditResult } from './writer.ts';
export { parseRefine, type RefineOp } from './refine.ts';
