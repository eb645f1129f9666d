import type { Store } from '../store/db.ts';
import type { Config } from '../app/config.ts';
import type { Contact } from '../audience/model.ts';
import type { BrandsService } from '../brands/service.ts';
import type { EmailsService } from '../emails/service.ts';
import type { DomainsService } from '../delivery/domains/service.ts';
import { compileEmail } from '../emails/compile.ts';
import { prepareMessage } from '../emails/render.ts';
import { invalid, notFound } from '../shared/errors.ts';
import { fromJson } from '../shared/json.ts';
import type { PlannedRecipient, SendPlan, SendPlans } from '../delivery/outbox/model.ts';
import { campaignsRepo as repo, type CampaignRow, type RecipientContentRow } from './repo.ts';
import { decide } from './fanout.ts';
import type { TopicRule } from './skips.ts';

/** Plans kept per process: the campaigns sending at once, not every campaign ever sent. */
const PLANS_KEPT = 32;

export interface PlansDeps {
  store: Store;
  config: Pick<Config, 'publicUrl' | 'dkim'>;
  secret: string;
  emails: Pick<EmailsService, 'get' | 'version'>;
  brands: Pick<BrandsService, 'getBrand'>;
  domains: Pick<DomainsService, 'dkimFor'>;
  /** How a campaign is stopped by the dispatcher (audited as the system). */
  pause: (campaignId: string, reason: string) => Promise<void>;
}

/**
 * What the dispatcher sends for a campaign: its pinned email version, with the campaign's subject,
 * preheader and sender overrides, compiled and prepared ONCE per campaign and version in this
 * process (the per-recipient render is then a string join plus signed tokens).
 */
export class CampaignPlans implements SendPlans {
  private readonly cache = new Map<string, Promise<SendPlan>>();

  constructor(private readonly deps: PlansDeps) {}

  async plan(campaignId: string): Promise<SendPlan> {
    const c = await repo.byId(this.deps.store.db, campaignId);
    if (!c) throw notFound('campaign', campaignId);
    if (!c.email_id || c.email_version === null) throw invalid('emailId', 'the campaign has no email any more (it was deleted)');
    const key = `${c.id}:${c.email_version}`;
    let plan = this.cache.get(key);
    if (!plan) {
      plan = this.build(c, c.email_id, c.email_version);
      // A failed build is not kept: the next tick reports the problem again, or succeeds.
      plan.catch(() => this.cache.delete(key));
      if (this.cache.size >= PLANS_KEPT) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, plan);
    }
    return plan;
  }

  pause(campaignId: string, reason: string): Promise<void> {
    return this.deps.pause(campaignId, reason);
  }

  private async build(c: CampaignRow, emailId: string, pinned: number): Promise<SendPlan> {
    const { emails, brands, config, secret } = this.deps;
    const [email, version, brand] = await Promise.all([emails.get(c.brand_id, emailId), emails.version(c.brand_id, emailId, pinned), brands.getBrand(c.brand_id)]);
    const compiled = await compileEmail({
      email: {
        ...email,
        version: version.version,
        format: version.format,
        document: version.document,
        source: version.source,
        subject: c.subject ?? version.subject,
        preheader: c.preheader ?? version.preheader,
        fromName: c.from_name ?? email.fromName,
        fromEmail: c.from_email ?? email.fromEmail,
        replyTo: c.reply_to ?? email.replyTo,
      },
      brand,
    });
    const fromDomain = compiled.from.email.slice(compiled.from.email.lastIndexOf('@') + 1);
    // A verified sending domain of the brand signs as itself (DMARC alignment); the server-wide key otherwise.
    const dkim = (await this.deps.domains.dkimFor(c.brand_id, fromDomain)) ?? config.dkim;
    const topicDefault = c.topic_id ? await repo.topicDefault(this.deps.store.db, c.brand_id, c.topic_id) : null;
    const topic = topicDefault === null ? null : { defaultOptIn: topicDefault };
    return {
      campaignId: c.id,
      brandId: c.brand_id,
      providerId: c.provider_id,
      prepared: prepareMessage(compiled),
      render: { tracking: { opens: c.track_opens === 1, clicks: c.track_clicks === 1 }, baseUrl: config.publicUrl, secret, brand },
      category: compiled.category,
      messageIdDomain: fromDomain,
      dkim,
      recipients: (ids) => this.recipients(ids, c.topic_id, topic),
    };
  }

  private async recipients(ids: string[], topicId: string | null, topic: TopicRule | null): Promise<Map<string, PlannedRecipient>> {
    const rows = await repo.recipientsWithContent(this.deps.store.db, ids, topicId);
    return new Map(decide(rows, topic).map((d) => [d.row.id, { contact: toContact(d.row as RecipientContentRow), skipReason: d.reason }]));
  }
}

function toContact(r: RecipientContentRow): Contact {
  return {
    id: r.id,
    email: r.email,
    firstName: r.first_name,
    lastName: r.last_name,
    phone: r.phone,
    country: r.country,
    language: r.language,
    timeZone: r.time_zone,
    status: r.status,
    consentSource: r.consent_source,
    consentAt: r.consent_at,
    validation: r.validation,
    validationReason: r.validation_reason,
    fields: fromJson(r.attributes, {}),
    tags: [],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
