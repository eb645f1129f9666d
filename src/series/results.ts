import type { Executor } from '../store/db.ts';
import type { TrackingService } from '../tracking/service.ts';
import { fromJson } from '../shared/json.ts';
import type { EnrolmentCounts, ExitReason, SeriesStats, StepStats, TrailEntry } from './model.ts';
import { seriesRepo as repo, type EnrolmentRow, type StepRow } from './repo.ts';

/**
 * Results of a series (S6.4) and the trail of one enrolment. Per step, delivery and engagement are
 * the step's carrier campaign's own results (`campaignStats`), so they mean exactly what they mean
 * for a campaign; enrolment counts and drop-off come from the enrolments.
 */

export async function enrolmentCounts(db: Executor, seriesId: string): Promise<{ counts: EnrolmentCounts; exited: Partial<Record<ExitReason, number>> }> {
  const counts: EnrolmentCounts = { enrolled: 0, active: 0, completed: 0, exited: 0 };
  const exited: Partial<Record<ExitReason, number>> = {};
  for (const r of await repo.counts(db, seriesId)) {
    counts.enrolled += r.n;
    counts[r.status] += r.n;
    if (r.status === 'exited') exited[(r.exit_reason ?? 'removed') as ExitReason] = (exited[(r.exit_reason ?? 'removed') as ExitReason] ?? 0) + r.n;
  }
  return { counts, exited };
}

/**
 * Drop-off at step p: of the enrolments that reached p (their last handled step is p or later),
 * the share that exited with p as their last step, i.e. left before the next one.
 */
export function dropOffs(progress: Array<{ last_position: number; status: string; n: number }>, steps: number): number[] {
  const reached = new Array<number>(steps).fill(0);
  const left = new Array<number>(steps).fill(0);
  for (const r of progress) {
    for (let p = 0; p <= Math.min(r.last_position, steps - 1); p++) reached[p] += r.n;
    if (r.status === 'exited' && r.last_position >= 0 && r.last_position < steps) left[r.last_position] += r.n;
  }
  return reached.map((n, p) => (n === 0 ? 0 : Math.round((left[p] / n) * 10_000) / 10_000));
}

export async function seriesStats(db: Executor, tracking: Pick<TrackingService, 'campaignStats'>, brandId: string, seriesId: string): Promise<SeriesStats> {
  const [{ counts, exited }, steps, progress, carriers] = await Promise.all([enrolmentCounts(db, seriesId), repo.steps(db, seriesId), repo.progress(db, seriesId), repo.carriers(db, seriesId)]);
  const byId = new Map(carriers.map((c) => [c.id, c]));
  const drop = dropOffs(progress, steps.length);
  const perStep: StepStats[] = [];
  for (const s of steps) {
    const carrier = s.campaign_id ? byId.get(s.campaign_id) : undefined;
    const stats = carrier ? await tracking.campaignStats(brandId, carrier.id) : null;
    perStep.push({
      stepId: s.id,
      position: s.position,
      role: s.role,
      sent: stats?.sent ?? 0,
      skipped: carrier ? Number(carrier.skipped) : 0,
      opens: stats?.opens.unique ?? 0,
      clicks: stats?.clicks.unique ?? 0,
      unsubscribes: stats?.unsubscribes ?? 0,
      bounces: stats ? stats.bounces.hard + stats.bounces.soft + stats.bounces.undetermined : 0,
      dropOff: drop[s.position] ?? 0,
    });
  }
  return { enrolled: counts.enrolled, active: counts.active, completed: counts.completed, exited, steps: perStep };
}

/** Outbox status of a step message → its trail entry. */
const MESSAGE_ENTRY: Record<string, string> = { queued: 'step-queued', sending: 'step-queued', sent: 'step-queued', skipped: 'step-skipped', failed: 'step-failed', cancelled: 'step-withdrawn' };
/** Delivery events as the trail names them (`received` is the provider accepting it: sent). */
const EVENT_ENTRY: Record<string, string> = { received: 'sent' };

/**
 * enrolled → step 1 queued → sent → opened → step 2 skipped (reason) → exited (goal): the
 * enrolment's own entries, its step messages (the outbox rows), and their delivery events.
 */
export async function trailOf(db: Executor, seriesId: string, enrolment: Pick<EnrolmentRow, 'id' | 'contact_id'>, steps: StepRow[]): Promise<TrailEntry[]> {
  const [own, messages] = await Promise.all([repo.enrolmentEvents(db, enrolment.id), repo.enrolmentMessages(db, seriesId, enrolment.id)]);
  const events = await repo.messageEvents(
    db,
    enrolment.contact_id,
    messages.map((m) => m.id),
  );
  const positionOf = new Map(steps.map((s) => [s.id, s.position]));
  const stepOfMessage = new Map(messages.map((m) => [m.id, m.dedupe_key.slice(m.dedupe_key.indexOf(':') + 1)]));
  const entries: TrailEntry[] = [];
  for (const e of own) {
    entries.push({ at: e.at, type: e.type, stepId: e.step_id, position: e.step_id ? (positionOf.get(e.step_id) ?? null) : null, detail: fromJson<Record<string, unknown>>(e.detail, {}) });
  }
  for (const m of messages) {
    const stepId = stepOfMessage.get(m.id)!;
    const detail: Record<string, unknown> = { messageId: m.id };
    if (m.skip_reason) detail.reason = m.skip_reason;
    if (m.error) detail.error = m.error;
    entries.push({ at: m.created_at, type: MESSAGE_ENTRY[m.status] ?? `step-${m.status}`, stepId, position: m.step, detail });
  }
  for (const ev of events) {
    const stepId = ev.message_id ? (stepOfMessage.get(ev.message_id) ?? null) : null;
    const data = fromJson<Record<string, unknown>>(ev.data, {});
    entries.push({
      at: ev.occurred_at,
      type: EVENT_ENTRY[ev.type] ?? ev.type,
      stepId,
      position: messages.find((m) => m.id === ev.message_id)?.step ?? null,
      detail: { ...data, ...(ev.machine === 1 && { machine: true }) },
    });
  }
  // Time order; at the same instant, the enrolment's own entry first and its end last.
  const rank = (t: string) => (t === 'enrolled' ? 0 : t === 'exited' || t === 'completed' ? 2 : 1);
  return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : rank(a.type) - rank(b.type)));
}
