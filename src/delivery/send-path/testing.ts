import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import type { Brand } from '../../brands/model.ts';
import type { CompiledEmail, RecipientData } from '../../emails/model.ts';
import { prepareMessage, type RenderContext } from '../../emails/render.ts';
import type { BuildJob, DkimKey } from './model.ts';

/** Shared by the send path's tests: an email with merge tags and links, a brand, a DKIM key and a receiver's view of its DNS. */

export const BRAND: Brand = {
  id: 'brd_1',
  name: 'Acme Coffee',
  colors: { primary: '#2f6fed', secondary: '#14b8a6', text: '#1f2933', background: '#ffffff', accent: '#f59e0b' },
  headingFont: 'Georgia, serif',
  bodyFont: 'Helvetica, sans-serif',
  logoUrl: null,
  voice: '',
  fromName: 'Acme Coffee',
  fromEmail: 'news@acme.test',
  replyTo: null,
  postalAddress: '1 Harbour Street, Portsmouth',
  defaultLanguage: 'en',
  timeZone: 'Europe/London',
  knowledge: '',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const PARAGRAPH =
  '<p style="margin:0;color:#1f2933">Our spring collection is here, with linen shirts, light jackets and everything you need for long evenings outside.  ' +
  'Every piece is made to last.\t<a href="https://shop.acme.test/p/{{ i }}">See it</a></p>\n';

/** A marketing email: merge tags in subject, HTML and text, static and personalised links; `kb` sets the HTML's size. */
export function compiledEmail(kb = 4, overrides: Partial<CompiledEmail> = {}): CompiledEmail {
  const paragraphs = Math.max(1, Math.round((kb * 1024) / PARAGRAPH.length));
  const body = Array.from({ length: paragraphs }, (_, i) => PARAGRAPH.replace('{{ i }}', String(i))).join('');
  return {
    emailId: 'eml_1',
    version: 3,
    category: 'marketing',
    language: 'en',
    subject: 'Fresh beans for {{ contact.first_name | default: "you" }}',
    preheader: '',
    from: { name: 'Acme Coffee', email: 'news@acme.test' },
    replyTo: 'help@acme.test',
    html:
      '<!DOCTYPE html><html><body><h1>Hello {{ contact.first_name | default: "there" }}!</h1>\n' +
      body +
      '<p><a href="https://shop.acme.test/cart?email={{ contact.email | url_encode }}">Your cart</a> · <a href="{{ unsubscribe_url }}">Unsubscribe</a></p></body></html>',
    text: 'Hello {{ contact.first_name | default: "there" }}!\n\nSee it: https://shop.acme.test/p/0\nUnsubscribe: {{ unsubscribe_url }}\n',
    links: [],
    variables: ['contact.first_name', 'contact.email', 'unsubscribe_url'],
    ...overrides,
  };
}

export const RENDER: RenderContext = { tracking: true, baseUrl: 'https://t.acme.test', secret: 'test-secret-0123456789', brand: BRAND };

export function recipient(i: number, contact: Record<string, unknown> = {}): RecipientData {
  return { contactId: `ctc_${i}`, email: `reader${i}@example.com`, contact: { first_name: `Reader${i}`, ...contact }, messageId: `msg_${i}`, campaignId: 'cmp_1' };
}

const keys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
export const DKIM: DkimKey = { domain: 'acme.test', selector: 'tid1', privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };

/** DNS as a receiver sees it: only the selector's TXT record exists. */
export async function resolver(name: string, type: string): Promise<string[][]> {
  if (name === 'tid1._domainkey.acme.test' && type === 'TXT') return [[`v=DKIM1; k=rsa; p=${keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`]];
  throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
}

type DkimResult = { results: Array<{ signingDomain: string; selector: string; status: { result: string; comment?: string | false }; signingHeaders: { keys: string } }> };
// mailauth ships no type declarations.
const { dkimVerify } = createRequire(import.meta.url)('mailauth/lib/dkim/verify.js') as {
  dkimVerify(message: Buffer, opts: { resolver: typeof resolver }): Promise<DkimResult>;
};

/** [domain, selector, result] for every signature in the message, as a receiver checks them. */
export async function dkimVerdicts(raw: Buffer): Promise<string[][]> {
  return (await dkimVerify(raw, { resolver })).results.map((r) => [r.signingDomain, r.selector, r.status.result]);
}

/** Why the first signature did not pass, in mailauth's words. */
export async function dkimComment(raw: Buffer): Promise<string | false | undefined> {
  return (await dkimVerify(raw, { resolver })).results[0].status.comment;
}

export async function signedHeaderNames(raw: Buffer): Promise<string[]> {
  return (await dkimVerify(raw, { resolver })).results[0].signingHeaders.keys.toLowerCase().split(/:\s*/);
}

/** Jobs of one send: the prepared email, render context and key are shared objects, as a dispatcher keeps them. */
export function jobsFor(compiled: CompiledEmail, count: number, extra: Partial<BuildJob> = {}): BuildJob[] {
  const prepared = prepareMessage(compiled);
  const date = new Date('2026-03-04T05:06:07.000Z');
  return Array.from({ length: count }, (_, i) => ({
    prepared,
    render: RENDER,
    messageIdDomain: 'acme.test',
    dkim: DKIM,
    recipient: recipient(i),
    messageRef: `msg_${i}`,
    idempotencyKey: `cmp_1:ctc_${i}`,
    category: 'marketing' as const,
    date,
    ...extra,
  }));
}
