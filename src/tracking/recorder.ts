import { newId } from '../shared/ids.ts';
import { toJson } from '../shared/json.ts';
import { verifyMessage } from './tokens.ts';
import { BURST_WINDOW_MS, classifyClick, classifyOpen, type RecentClick, type RequestSignal, type Verdict } from './machine.ts';
import type { EngagementFirst, EventInsert, HitFacts, HitQueries } from './repo.ts';

/** One open or click waiting for its batch to commit. */
export interface Hit {
  kind: 'opened' | 'clicked';
  /** Empty while `token` is still to be checked. */
  messageId: string;
  /** The contact the token names; null for provider events (their message row is the authority). */
  contactId: string | null;
  at: Date;
  signal: RequestSignal;
  link?: number;
  url?: string;
  /** A provider's own machine verdict (SendGrid's machine opens), and which provider reported it. */
  provider?: { name: string; machine: boolean };
  /**
   * An open answered before its message token was checked (embedded mode: the tracking thread
   * checks it, so the event loop never waits on the MAC); `checkedHit` turns it into a hit of the
   * message the token names.
   */
  token?: string;
}

/**
 * The hit itself, or for an open still carrying its token, the open of the message the token
 * names; null when the token is not genuine or comes from a preview or test send (nothing is
 * recorded for those, exactly as when the token is checked while answering).
 */
export function checkedHit(secret: string, hit: Hit): Hit | null {
  if (hit.token === undefined) return hit;
  const claims = verifyMessage(secret, hit.token);
  return claims?.messageId ? { kind: hit.kind, messageId: claims.messageId, contactId: claims.contactId, at: hit.at, signal: hit.signal } : null;
}

/** What an event row needs of its message. */
export type EventTarget = Pick<HitFacts, 'id' | 'brand_id' | 'contact_id' | 'campaign_id' | 'series_id'>;

export function eventRow(m: EventTarget, type: string, at: string, data: Record<string, unknown>, machine = false): EventInsert {
  return {
    id: newId('evt'),
    brand_id: m.brand_id,
    contact_id: m.contact_id,
    type,
    campaign_id: m.campaign_id,
    series_id: m.series_id,
    occurred_at: at,
    data: toJson(data),
    message_id: m.id,
    machine: machine ? 1 : 0,
  };
}

/**
 * Turns a batch of opens and clicks into event rows and first-time columns: reads the messages,
 * classifies each hit (machine.ts), inserts the events, sets opened_at / clicked_at from human
 * hits only, and re-classifies the earlier clicks of a burst once the burst shows.
 *
 * The clicks of the last second are kept in memory per message (the burst rule needs them, and
 * reading them back from events cost a sixth of a click): every click of a process passes here. A scanner spreading one burst over several API processes is caught only by the
 * other rules (user agent, speed after sending).
 */
export class HitRecorder {
  private recent = new Map<string, RecentClick[]>();
  /** The same clicks in the order they were seen, so forgetting old ones never walks the whole map. */
  private order: Array<{ messageId: string; at: string }> = [];
  private head = 0;

  async record(q: HitQueries, batch: readonly Hit[]): Promise<void> {
    const facts = new Map((await q.messageFacts([...new Set(batch.map((h) => h.messageId))])).map((m) => [m.id, m]));
    const hits = batch
      .filter((h) => facts.has(h.messageId) && (h.contactId === null || facts.get(h.messageId)!.contact_id === h.contactId))
      .sort((a, b) => a.at.getTime() - b.at.getTime());
    if (hits.length === 0) return;
    const events: EventInsert[] = [];
    const firsts = new Map<string, EngagementFirst>();
    const bursts: Array<{ message: HitFacts; from: string; to: string }> = [];
    const iso = isoOfSortedTimes();
    for (const h of hits) {
      const m = facts.get(h.messageId)!;
      const at = iso(h.at);
      const verdict = this.classify(h, m);
      const machine = verdict.machine || !!h.provider?.machine;
      events.push(eventRow(m, h.kind, at, hitData(h, verdict), machine));
      if (h.kind === 'clicked') this.remember(m.id, { at, target: targetOf(h) });
      if (verdict.reason === 'link-burst') bursts.push({ message: m, from: new Date(h.at.getTime() - BURST_WINDOW_MS).toISOString(), to: at });
      if (!machine) noteFirst(firsts, m, h.kind, at);
    }
    this.forgetBefore(hits[hits.length - 1].at.getTime() - BURST_WINDOW_MS);
    await q.recordEvents(events);
    if (firsts.size > 0) await q.setEngagementFirsts([...firsts.values()]);
    for (const b of bursts) await q.markBurst(b.message, b.from, b.to);
  }

  private classify(h: Hit, m: HitFacts): Verdict {
    const timing = { sentAt: m.sent_at };
    return h.kind === 'opened' ? classifyOpen(h.signal, timing, h.at) : classifyClick(h.signal, timing, h.at, targetOf(h), this.recent.get(m.id) ?? []);
  }

  private remember(messageId: string, click: RecentClick): void {
    const clicks = this.recent.get(messageId);
    if (clicks) clicks.push(click);
    else this.recent.set(messageId, [click]);
    this.order.push({ messageId, at: click.at });
  }

  private forgetBefore(ms: number): void {
    const cutoff = new Date(ms).toISOString();
    while (this.head < this.order.length && this.order[this.head].at < cutoff) {
      const { messageId } = this.order[this.head++];
      const kept = this.recent.get(messageId)?.filter((c) => c.at >= cutoff) ?? [];
      if (kept.length === 0) this.recent.delete(messageId);
      else this.recent.set(messageId, kept);
    }
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }
}

/** What identifies a clicked link for burst detection: its index, or the URL a provider reported. */
const targetOf = (h: Hit) => String(h.link ?? h.url ?? '');

/**
 * ISO strings of times in order: a burst of hits shares its millisecond, and an ISO conversion
 * costs about a microsecond, so each millisecond is converted once.
 */
function isoOfSortedTimes(): (at: Date) => string {
  let ms = Number.NaN;
  let text = '';
  return (at) => {
    if (at.getTime() !== ms) {
      ms = at.getTime();
      text = at.toISOString();
    }
    return text;
  };
}

/** The event's data, its keys always in this order (the JSON stored is the same for the same hit). */
function hitData(h: Hit, verdict: Verdict): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  if (h.link !== undefined) data.link = h.link;
  if (h.url !== undefined) data.url = h.url;
  if (h.signal.userAgent) data.userAgent = h.signal.userAgent.slice(0, 500);
  if (h.signal.ip) data.ip = h.signal.ip;
  if (h.signal.method !== 'GET') data.method = h.signal.method;
  if (verdict.reason) data.machineReason = verdict.reason;
  if (verdict.agent) data.agent = verdict.agent;
  if (h.provider) {
    data.provider = h.provider.name;
    if (h.provider.machine) data.machineReason = 'provider';
  }
  return data;
}

/** The earliest human open (a click counts as one) and click per message, where the row has none yet. */
function noteFirst(firsts: Map<string, EngagementFirst>, m: HitFacts, kind: Hit['kind'], at: string): void {
  const f = firsts.get(m.id) ?? { id: m.id, openedAt: null, clickedAt: null };
  if (!m.opened_at && !f.openedAt) f.openedAt = at;
  if (kind === 'clicked' && !m.clicked_at && !f.clickedAt) f.clickedAt = at;
  if (f.openedAt || f.clickedAt) firsts.set(m.id, f);
}
