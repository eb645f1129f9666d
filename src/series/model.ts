import { z } from 'zod';
import { PageQuery } from '../http/pagination.ts';
import type { Actor } from '../brands/model.ts';
import type { CampaignStatus, EnrolmentStatus, SeriesStatus } from '../store/schema.ts';
import type { Finding } from '../preflight/model.ts';
import { SeriesBrief } from '../composer/series/index.ts';

export type { EnrolmentStatus, SeriesStatus };

/**
 * Email Series (S6): one brief becomes a connected sequence of normal emails, refined, checked and
 * run as a drip. What the code guarantees, and what users can rely on:
 *
 * Lifecycle
 *   draft ──start──▶ active ⇄ paused        (any status) ──archive──▶ archived
 *   - start (and resume) run preflight on every email plus the series checks; critical findings
 *     block unless a manager overrides (audited). Each step's carrier campaign is pinned to the
 *     email version that was checked: what goes out is what preflight passed.
 *   - Editing the emails of a running series (edit-all, the editor) makes new versions that go out
 *     after the series is paused and resumed (resume checks them and pins them), like a campaign.
 *     A step *added* to a running series is pinned to its freshly written version at once.
 *   - pause: nothing more is handed to delivery, batches handed off but not yet delivered wait,
 *     and messages already queued wait; resume: steps whose time passed meanwhile go out at the
 *     next ticks, one step per enrolment per tick.
 *   - archive: carriers are cancelled (queued messages withdrawn), active enrolments exit with
 *     reason `archived`. The emails stay, as normal emails.
 *   - Delivery may stop one step's carrier by itself (circuit breaker, bounce/complaint guard, a
 *     deleted email): that step's messages wait, the step shows `delivery.status` paused with the
 *     reason, and pausing and resuming the series (after fixing the cause) sends them.
 *
 * Timing
 *   - Offsets are days from enrolment, non-decreasing by position. Offset 0 is due at enrolment;
 *     offset d ≥ 1 at `sendHour`:00 on the local date of enrolment + d days, in the series' zone if
 *     set, else the contact's zone, else the brand's zone (UTC when none is valid).
 *   - The tick (with the dispatcher's housekeeping, about once a second) finds the enrolments
 *     that fell due since its previous run and hands them to delivery as jobs of up to 2,000; each
 *     job writes its enrolments' outbox rows and moves them on in one transaction, moments after
 *     the tick. A contact enrolled at the very instant of the last tick is due just after it.
 *   - The tick hands off only the NEXT step of an enrolment. The one after is due at its own time
 *     computed from the enrolment time; if that time has already passed (a clock jump, a long
 *     pause, an outage) it is due one tick later ({@link CATCH_UP_MS}), so a contact receives missed
 *     steps one at a time, in order, never several in the same tick.
 *
 * Editing a running series (contacts already enrolled)
 *   - Change an offset: every active enrolment whose next step is that step gets its due time
 *     recomputed; a time already past goes out at the next tick.
 *   - Insert at position k: enrolments that have not passed k get the new step (it is their next
 *     step if they were waiting for the step now after it); those past k do not.
 *   - Remove: enrolments waiting for the removed step move on to the step after it (due at that
 *     step's own time); its carrier is cancelled, so its queued messages are withdrawn.
 *   - Reorder: the emails move, the cadence stays with the positions (position i keeps its
 *     offset), so offsets never go backwards. Progress follows the new order from the position of
 *     the last step each enrolment received; a step already sent to an enrolment is never sent to
 *     it again (the outbox's unique key), it is passed over.
 *
 * Exits and re-entry
 *   - Unsubscribed, bounced or complained (contact status or suppression): checked for every step
 *     before it is handed off (the step is recorded as skipped with that reason and the enrolment
 *     exits), again by delivery just before sending, and by a periodic sweep.
 *   - Goal tag (the contact has it) or goal event (one recorded after enrolment): the enrolment
 *     exits with reason `goal`, checked before each step and by the sweep.
 *   - Manual removal (`removed`), series archived (`archived`). Queued step messages of an
 *     enrolment that exits are withdrawn.
 *   - Other skip reasons (not subscribed, invalid or risky address) skip that step only: consent is
 *     checked again before the next one.
 *   - Re-entry `never`: a contact is enrolled in a series once. `after-exit`: again, once the
 *     previous enrolment ended (for tag and event triggers: a tag added / an event recorded after
 *     it ended). A segment trigger cannot use `after-exit`: a member still in the segment when
 *     their enrolment ends would be enrolled again at once, for ever.
 *   - Enrolling a contact that is already active is a no-op: `{enrolled: false, reason: 'already-enrolled'}`.
 *   - The sweep (trigger enrolments and exits) runs with the tick at most once a minute per process;
 *     the checks before each step do not wait for it.
 *
 * Trail
 *   enrolled → step queued (its outbox row) → sent / opened / clicked… (that message's events) →
 *   step skipped (reason) → exited (reason) | completed. The steps' entries are read from the
 *   outbox and the events, never written twice.
 *
 * Triggers
 *   - manual: start enrols an audience (segments and tags) once; start again on an active series
 *     to enrol another audience. api: POST /series/{id}/enrolments. Both work on any active series.
 *   - segment: members not yet enrolled are enrolled by the sweep (current members at start too).
 *   - tag: contacts that get the tag after the series started. event: contacts with an event of
 *     that name recorded after the series started.
 *   - A trigger whose segment or tag was deleted is switched off with `triggerError` saying why
 *     (the rest of the series keeps running); choosing another trigger clears it.
 */

export const SERIES_STATUSES = ['draft', 'active', 'paused', 'archived'] as const satisfies readonly SeriesStatus[];
export const ENROLMENT_STATUSES = ['active', 'completed', 'exited'] as const satisfies readonly EnrolmentStatus[];
export const EXIT_REASONS = ['unsubscribed', 'bounced', 'complained', 'goal', 'removed', 'archived'] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];
export const ENROLMENT_SOURCES = ['manual', 'api', 'segment', 'tag', 'event'] as const;
export type EnrolmentSource = (typeof ENROLMENT_SOURCES)[number];
export const REENTRY = ['never', 'after-exit'] as const;
export type Reentry = (typeof REENTRY)[number];

/** How long after a handed-off step a following step whose time has already passed becomes due: one tick. */
export const CATCH_UP_MS = 1_000;
export const MAX_STEPS = 12;
export const DEFAULT_SEND_HOUR = 9;

export type SeriesTrigger =
  | { type: 'manual' }
  | { type: 'api' }
  | { type: 'segment'; segmentId: string }
  | { type: 'tag'; tagId: string }
  | { type: 'event'; name: string };

export interface SeriesExit {
  /** Contacts that have this tag leave the series (goal reached). */
  tagId: string | null;
  /** Contacts with an event of this name recorded after they enrolled leave the series. */
  event: string | null;
}

export interface PreflightSummary {
  score: number;
  critical: number;
  important: number;
  suggested: number;
}

export interface SeriesStep {
  id: string;
  position: number;
  role: string;
  beats: string[];
  handoff: string;
  offsetDays: number;
  emailId: string | null;
  campaignId: string | null;
  email: { id: string; name: string; subject: string; preheader: string; preflight: PreflightSummary | null } | null;
  /** The step's carrier campaign: `sending`, or `paused` with delivery's reason (a circuit breaker, a health guard…). */
  delivery: { status: CampaignStatus; reason: string | null } | null;
}

export interface EnrolmentCounts {
  enrolled: number;
  active: number;
  completed: number;
  exited: number;
}

export interface Series {
  id: string;
  name: string;
  kind: string;
  status: SeriesStatus;
  sendHour: number;
  timeZone: string | null;
  trigger: SeriesTrigger;
  /** Why the automatic trigger is off, when it is. */
  triggerError: string | null;
  exit: SeriesExit;
  reentry: Reentry;
  utmCampaign: string | null;
  providerId: string | null;
  startedAt: string | null;
  createdAt: string;
  updatedAt: string;
  steps: SeriesStep[];
  counts: EnrolmentCounts;
}

export interface SeriesSummary {
  id: string;
  name: string;
  kind: string;
  status: SeriesStatus;
  steps: number;
  startedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Enrolment {
  id: string;
  seriesId: string;
  contactId: string;
  email: string | null;
  status: EnrolmentStatus;
  exitReason: string | null;
  source: string;
  enrolledAt: string;
  nextStepId: string | null;
  nextDueAt: string | null;
  /** Position of the last step handled (sent or skipped); -1 before the first. */
  lastPosition: number;
  endedAt: string | null;
}

export interface TrailEntry {
  at: string;
  /** enrolled | step-queued | step-skipped | step-failed | step-withdrawn | sent | delivered | opened | clicked | bounced | complained | unsubscribed | exited | completed */
  type: string;
  stepId: string | null;
  position: number | null;
  detail: Record<string, unknown>;
}

export interface EnrolResult {
  enrolled: boolean;
  enrolmentId?: string;
  reason?: 'already-enrolled' | 'no-reentry';
}

export interface SeriesPreflight {
  steps: Array<{ stepId: string; position: number; emailId: string | null; version: number | null; score: number | null; counts: { critical: number; important: number; suggested: number } }>;
  series: Finding[];
  ok: boolean;
}

export interface StepStats {
  stepId: string;
  position: number;
  role: string;
  /** Messages the step handed to delivery that the provider accepted / that were skipped (with a reason). */
  sent: number;
  skipped: number;
  opens: number;
  clicks: number;
  unsubscribes: number;
  bounces: number;
  /** Of the enrolments that reached this step (sent or skipped), the share that exited before the next one. */
  dropOff: number;
}

export interface SeriesStats {
  enrolled: number;
  active: number;
  completed: number;
  exited: Partial<Record<ExitReason, number>>;
  steps: StepStats[];
}

export interface PreflightOverride {
  by: Actor;
  at: string;
  findings: Array<{ id: string; message: string; stepId: string | null }>;
}

export interface StepEditResult {
  stepId: string;
  ok: boolean;
  error?: string;
}

// ---- inputs ---------------------------------------------------------------------------------

const strict = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject(shape, { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')}` : undefined) });

const ref = z.string().trim().min(1, 'is required').max(100);
const name = z.string().trim().min(1, 'is required').max(200);
const offsetDays = z.number().int('must be a whole number of days').min(0, 'must be 0 or more').max(365, 'must be at most 365');
const sendHour = z.number().int('must be a whole hour').min(0, 'must be 0–23').max(23, 'must be 0–23');
const eventName = z.string().trim().min(1, 'is required').max(100);

export const GenerateInput = strict({
  brief: SeriesBrief,
  name: name.optional().describe('default: the name the composer gives the plan'),
});

export const TriggerInput = z.discriminatedUnion(
  'type',
  [
    strict({ type: z.literal('manual') }),
    strict({ type: z.literal('api') }),
    strict({ type: z.literal('segment'), segmentId: ref }),
    strict({ type: z.literal('tag'), tagId: ref }),
    strict({ type: z.literal('event'), name: eventName }),
  ],
  { error: 'must be {type: "manual" | "api"}, {type: "segment", segmentId}, {type: "tag", tagId} or {type: "event", name}' },
);

export const ExitInput = strict({
  tagId: ref.nullable().default(null),
  event: eventName.nullable().default(null),
});

export const AudienceInput = strict({
  segmentIds: z.array(ref).max(20, 'at most 20 segments').default([]),
  tagIds: z.array(ref).max(100, 'at most 100 tags').default([]),
});

export const SeriesPatch = strict({
  name: name.optional(),
  sendHour: sendHour.optional(),
  timeZone: z.string().trim().min(1).max(100).nullable().optional().describe('IANA zone for every contact; null: each contact’s own zone (brand zone when unknown)'),
  trigger: TriggerInput.optional(),
  exit: ExitInput.optional(),
  reentry: z.enum(REENTRY).optional(),
  utmCampaign: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be 1–100 letters, digits, ".", "_" or "-"')
    .nullable()
    .optional(),
  providerId: ref.nullable().optional(),
});
export type SeriesPatch = z.infer<typeof SeriesPatch>;

export const AddStepInput = strict({
  position: z.number().int().min(0, 'must be 0 or more').describe('0-based position of the new email; the emails from there on move one down'),
  role: z.string().trim().min(1, 'is required').max(120, 'must be at most 120 characters'),
  beats: z.array(z.string().trim().min(1, 'is empty').max(300, 'must be at most 300 characters')).max(8, 'must list at most 8 beats').default([]),
  offsetDays: offsetDays.optional().describe('days after enrolment; default: chosen to fit between its neighbours'),
});
export type AddStepInput = z.infer<typeof AddStepInput>;

export const StepPatch = strict({ offsetDays });
export const ReorderInput = strict({ stepIds: z.array(ref).min(1, 'lists no step') });
export const InstructionInput = strict({ instruction: z.string().trim().min(1, 'is required').max(2000, 'must be at most 2000 characters') });
export const RefineInput = strict({ text: z.string().trim().min(1, 'is required').max(2000, 'must be at most 2000 characters') });

export const StartInput = strict({
  audience: AudienceInput.optional().describe('enrol these segments and tags now (once)'),
  override: z.boolean().optional().describe('start despite critical preflight findings (managers only; audited)'),
});
export type StartInput = z.infer<typeof StartInput>;
export const ResumeInput = strict({ override: z.boolean().optional() });

export const EnrolInput = strict({
  contactId: ref.optional(),
  email: z.email('must be an email address').max(320).optional(),
});

export const SeriesListQuery = PageQuery.extend({ status: z.enum(SERIES_STATUSES).optional() });
export type SeriesListQuery = z.input<typeof SeriesListQuery>;

export const EnrolmentListQuery = PageQuery.extend({ status: z.enum(ENROLMENT_STATUSES).optional() });
export type EnrolmentListQuery = z.input<typeof EnrolmentListQuery>;
