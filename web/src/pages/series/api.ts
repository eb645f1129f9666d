/**
 * The client for the Email Series endpoints of issue 5 (see notes/series-contract.md): generate a
 * series from a brief, refine its arc, set its cadence and trigger, preflight, start, pause and
 * resume it, and read its enrolments, trails and results. Same transport as the rest of the app.
 */
import { request, type Page } from '../../api.ts';
import type {
  Enrolment,
  EnrolmentCounts,
  EnrolmentStatus,
  Reentry,
  Series,
  SeriesPatch,
  SeriesPreflight,
  SeriesStats,
  SeriesStatus,
  SeriesStep,
  SeriesSummary as ServerSeriesSummary,
  SeriesTrigger,
  StepEditResult,
  TrailEntry,
} from '../../../../src/series/model.ts';
import type { SeriesBriefInput, SeriesKind } from '../../../../src/composer/model.ts';
import type { RefineOp } from '../../../../src/composer/series/refine.ts';

export type { Enrolment, EnrolmentStatus, Reentry, RefineOp, Series, SeriesPatch, SeriesPreflight, SeriesStats, SeriesStatus, SeriesStep, SeriesTrigger, StepEditResult, TrailEntry };
export type TriggerType = SeriesTrigger['type'];
/** A list row; enrolment counts come along when the server includes them. */
export type SeriesSummary = ServerSeriesSummary & { counts?: EnrolmentCounts };

export type { SeriesKind };
export type SeriesBrief = Pick<SeriesBriefInput, 'prompt' | 'count' | 'kind'>;

/** The arcs the composer knows, in the order offered (a copy: the web app imports no server values). */
export const SERIES_KINDS = ['welcome', 'onboarding', 'launch', 'nurture', 'winback', 'post-purchase', 'event', 'dunning'] as const satisfies readonly SeriesKind[];

export interface RefineResult {
  op: RefineOp;
  series: Series;
  results?: StepEditResult[];
}

export interface Audience {
  segmentIds: string[];
  tagIds: string[];
}

export type EnrolmentDetail = Enrolment & { trail: TrailEntry[] };

const id = encodeURIComponent;
const base = (seriesId: string) => `/series/${id(seriesId)}`;

function query(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const seriesApi = {
  list: (q: { limit: number; cursor?: string }) => request<Page<SeriesSummary>>('GET', `/series${query(q)}`),
  get: (seriesId: string) => request<Series>('GET', base(seriesId)),
  generate: (brief: SeriesBrief, name?: string) => request<Series>('POST', '/series/generate', { brief, ...(name ? { name } : {}) }),
  update: (seriesId: string, patch: SeriesPatch) => request<Series>('PATCH', base(seriesId), patch),

  addStep: (seriesId: string, input: { position: number; role: string; beats?: string[]; offsetDays?: number }) => request<Series>('POST', `${base(seriesId)}/steps`, input),
  removeStep: (seriesId: string, stepId: string) => request<Series>('DELETE', `${base(seriesId)}/steps/${id(stepId)}`),
  setOffset: (seriesId: string, stepId: string, offsetDays: number) => request<Series>('PATCH', `${base(seriesId)}/steps/${id(stepId)}`, { offsetDays }),
  reorder: (seriesId: string, stepIds: string[]) => request<Series>('POST', `${base(seriesId)}/reorder`, { stepIds }),
  refine: (seriesId: string, text: string) => request<RefineResult>('POST', `${base(seriesId)}/refine`, { text }),

  preflight: (seriesId: string) => request<SeriesPreflight>('POST', `${base(seriesId)}/preflight`),
  start: (seriesId: string, input: { audience?: Audience; override?: boolean }) => request<Series>('POST', `${base(seriesId)}/start`, input),
  archive: (seriesId: string) => request<Series>('POST', `${base(seriesId)}/archive`),
  pause: (seriesId: string) => request<Series>('POST', `${base(seriesId)}/pause`),
  /** Resume checks the emails again (they may have been edited while paused): critical findings block it too. */
  resume: (seriesId: string, override = false) => request<Series>('POST', `${base(seriesId)}/resume`, override ? { override } : {}),

  enrolments: (seriesId: string, q: { status?: EnrolmentStatus; limit: number; cursor?: string }) => request<Page<Enrolment>>('GET', `${base(seriesId)}/enrolments${query(q)}`),
  enrolment: (seriesId: string, enrolmentId: string) => request<EnrolmentDetail>('GET', `${base(seriesId)}/enrolments/${id(enrolmentId)}`),
  removeEnrolment: (seriesId: string, enrolmentId: string) => request<void>('DELETE', `${base(seriesId)}/enrolments/${id(enrolmentId)}`),
  stats: (seriesId: string) => request<SeriesStats>('GET', `${base(seriesId)}/stats`),
};
