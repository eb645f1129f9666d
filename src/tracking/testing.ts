import type { AppContext } from '../app/context.ts';
import { SCOPES, type AuthContext } from '../brands/model.ts';
import type { MessageStatus } from '../store/schema.ts';
import { newId } from '../shared/ids.ts';
import { toJson } from '../shared/json.ts';
import { signMessage } from './tokens.ts';

/**
 * Sent campaigns for tracking's tests and benchmark, written straight into the tables (the real
 * dispatcher is another capability): an HTML email with a few links, subscribed contacts, a
 * campaign row and one `sent` message per contact with its message token.
 */

export const FIXTURE_LINKS = ['https://shop.acme.test/beans', 'https://acme.test/blog?a=1&b=2', 'https://acme.test/recipes'];

export const FIXTURE_HTML = `<html><body>
<h1>Hello {{ contact.first_name | default: "there" }}</h1>
<p><a href="${FIXTURE_LINKS[0]}">Shop beans</a> · <a href="${FIXTURE_LINKS[1].replace('&', '&amp;')}">Read the blog</a> · <a href="${FIXTURE_LINKS[2]}">Recipes</a></p>
<p><a href="https://acme.test/u?e={{ contact.email | url_encode }}">Your page</a> · <a href="mailto:hello@acme.test">Write to us</a></p>
<p><a href="{{ preferences_url }}">Preferences</a> · <a href="{{ view_in_browser_url }}">View in browser</a></p>
</body></html>`;

export interface FixtureMessage {
  id: string;
  contactId: string;
  email: string;
  /** The message token every public endpoint of this message takes. */
  token: string;
}

export interface FixtureCampaign {
  campaignId: string;
  emailId: string;
  version: number;
  messages: FixtureMessage[];
}

export function systemAuth(brandId: string): AuthContext {
  return { brandId, actor: { type: 'system', id: 'tracking-fixture' }, scopes: new Set(SCOPES), role: 'manager' };
}

/**
 * `contacts` subscribed contacts (emails `prefix+i@example.com`), all sent `sentAgoMs` before the
 * clock's now. `messageStatus` lets a test make skipped or queued rows too (for every message).
 */
export async function sentCampaign(
  ctx: AppContext,
  brandId: string,
  opts: { contacts: number; prefix?: string; sentAgoMs?: number; messageStatus?: MessageStatus } = { contacts: 1 },
): Promise<FixtureCampaign> {
  const email = await ctx.emails.create(systemAuth(brandId), { name: `Fixture ${newId('eml')}`, subject: 'Fresh beans', format: 'html', source: FIXTURE_HTML });
  const now = ctx.clock.now();
  const at = now.toISOString();
  const sentAt = new Date(now.getTime() - (opts.sentAgoMs ?? 3_600_000)).toISOString();
  const campaignId = newId('cmp');
  const status = opts.messageStatus ?? 'sent';
  const sent = status === 'sent' ? opts.contacts : 0;
  await ctx.store.db
    .insertInto('campaigns')
    .values({ id: campaignId, brand_id: brandId, name: 'Fixture campaign', email_id: email.id, email_version: email.version, audience: toJson({ segmentIds: [], tagIds: [] }), status: 'sending', sent, recipients: opts.contacts, created_at: at, updated_at: at })
    .execute();
  const messages: FixtureMessage[] = [];
  const prefix = opts.prefix ?? campaignId.slice(-6).toLowerCase();
  for (let i = 0; i < opts.contacts; i++) {
    const contact = await ctx.audience.createContact(brandId, { email: `${prefix}+${i}@example.com`, firstName: `Reader${i}`, status: 'subscribed' }, { type: 'system', id: 'fixture' });
    const id = newId('msg');
    await ctx.store.db
      .insertInto('messages')
      .values({
        id,
        brand_id: brandId,
        dedupe_key: `${campaignId}:${contact.id}`,
        campaign_id: campaignId,
        contact_id: contact.id,
        email: contact.email,
        email_id: email.id,
        email_version: email.version,
        status,
        skip_reason: status === 'skipped' ? 'non-subscribed' : null,
        due_at: sentAt,
        sent_at: status === 'sent' ? sentAt : null,
        created_at: sentAt,
        updated_at: sentAt,
      })
      .execute();
    const token = signMessage(ctx.secret, { messageId: id, contactId: contact.id, sourceId: campaignId, emailId: email.id, version: email.version });
    messages.push({ id, contactId: contact.id, email: contact.email, token });
  }
  return { campaignId, emailId: email.id, version: email.version, messages };
}
