import { getDomain } from 'tldts';
import { clip, type MessageView } from '../dom.ts';
import { hit, type Check, type CheckContext, type Hit } from './check.ts';

const words = (text: string) => new Set((text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []).filter((w) => !/^\d+$/.test(w)));

/** Share of the HTML's words the text part must also have (ours; SA MPART_ALT_DIFF fires on divergence). */
export const PLAIN_OVERLAP = 0.8;

/** Check 7: a text/plain alternative exists and says what the HTML says. */
export const plainPartCheck: Check = {
  id: 'mime.plain-part',
  scope: 'message',
  run(view: MessageView, ctx: CheckContext): Hit[] {
    const text = typeof ctx.sent.parsed.text === 'string' ? ctx.sent.parsed.text : '';
    if (!text.trim()) {
      return [hit('critical', 'The message has no text/plain part; spam filters penalise HTML-only mail and some readers show nothing.', 'Send a plain-text alternative generated from the HTML.')];
    }
    const html = words(view.visibleText);
    if (html.size < 10) return [];
    const plain = words(text);
    let shared = 0;
    for (const w of html) if (plain.has(w)) shared++;
    const overlap = shared / html.size;
    if (overlap >= PLAIN_OVERLAP) return [];
    return [
      hit('important', `The text part has only ${Math.round(overlap * 100)} % of the HTML's words; spam filters flag parts that differ (SpamAssassin MPART_ALT_DIFF).`, 'Regenerate the plain-text part from the HTML.', {
        excerpt: clip(text.trim(), 120),
      }),
    ];
  },
};

/** Headers RFC 5322 allows once per message. */
const SINGLE = ['from', 'sender', 'reply-to', 'to', 'cc', 'bcc', 'message-id', 'in-reply-to', 'references', 'subject', 'date'];
const MAX_LINE = 998;

/** Check 8: what mailbox providers require of the message format (Google 81126, RFC 5322). */
export const rfc5322Check: Check = {
  id: 'headers.rfc5322',
  scope: 'message',
  run(_view: MessageView, ctx: CheckContext): Hit[] {
    const hits: Hit[] = [];
    const { headers, parsed, raw } = ctx.sent;
    const named = (n: string) => headers.filter((h) => h.name.toLowerCase() === n);
    for (const required of ['From', 'Date', 'Message-ID']) {
      if (named(required.toLowerCase()).length === 0) hits.push(hit('critical', `The ${required} header is missing (RFC 5322).`, `Add a ${required} header.`));
    }
    for (const name of SINGLE) {
      const found = named(name);
      if (found.length > 1) hits.push(hit('critical', `The ${found[0].name} header appears ${found.length} times; it may appear only once.`, 'Keep one of them.', { excerpt: found.map((h) => `${h.name}: ${clip(h.value, 60)}`).join(' | ') }));
    }
    const messageId = named('message-id')[0]?.value.trim();
    if (messageId && !/^<[^<>@\s]+@[^<>@\s]+>$/.test(messageId)) hits.push(hit('critical', `The Message-ID "${clip(messageId, 60)}" is not of the form <id@domain>.`, 'Generate Message-IDs as <unique@your-domain>.'));
    const date = named('date')[0]?.value;
    if (date && Number.isNaN(Date.parse(date))) hits.push(hit('critical', `The Date header "${clip(date, 60)}" cannot be read.`, 'Use an RFC 5322 date such as "Thu, 26 Nov 2026 10:00:00 +0000".'));
    const from = parsed.from?.value ?? [];
    if (named('from').length > 0 && from.length !== 1) hits.push(hit('critical', `From must hold exactly one address (it holds ${from.length}).`, 'Use a single From address.'));
    for (const h of headers) {
      // Headers travel as 7-bit text: anything else must be RFC 2047-encoded (=?UTF-8?…?=).
      if (/[^\x00-\x7f]/.test(h.value)) hits.push(hit('critical', `The ${h.name} header has unencoded non-ASCII characters.`, 'Encode it as an RFC 2047 encoded-word.', { excerpt: clip(h.value, 80) }));
    }
    const longest = longestLine(raw);
    if (longest > MAX_LINE) hits.push(hit('critical', `A line of the message is ${longest} bytes long; RFC 5322 allows 998, and servers break longer lines.`, 'Encode the body as quoted-printable or base64.'));
    return hits;
  },
};

function longestLine(raw: Buffer): number {
  let longest = 0;
  let start = 0;
  for (let i = raw.indexOf(10); i !== -1; i = raw.indexOf(10, start)) {
    longest = Math.max(longest, i - start - (raw[i - 1] === 13 ? 1 : 0));
    start = i + 1;
  }
  return Math.max(longest, raw.length - start);
}

/** Mailbox providers' own domains publish strict DMARC: mail "from" them sent by anyone else fails. */
const FREEMAIL = /^(gmail\.com|googlemail\.com|yahoo\.[a-z.]+|ymail\.com|aol\.com|outlook\.com|hotmail\.[a-z.]+|live\.[a-z.]+|msn\.com|icloud\.com|me\.com|mac\.com|gmx\.[a-z.]+|web\.de|mail\.ru|yandex\.[a-z.]+|proton\.me|protonmail\.com)$/i;
const NO_REPLY = /^(no-?reply|do-?not-?reply|donotreply|noreply)([+.-].*)?$/i;
/** Emoji and pictographs (ticks, locks, stars…), but not the ©, ® and ™ that brand names carry. */
const BADGES = /(?![\u00a9\u00ae\u2122])\p{Extended_Pictographic}/u;

/** Check 9: who the message says it is from (Google 81126 display-name rules; DMARC alignment). */
export const fromIdentityCheck: Check = {
  id: 'from.identity',
  scope: 'message',
  run(view: MessageView, ctx: CheckContext): Hit[] {
    const hits: Hit[] = [];
    const { from, replyTo, subject } = view.message;
    const domain = from.email.slice(from.email.lastIndexOf('@') + 1).toLowerCase();
    if (FREEMAIL.test(domain)) {
      hits.push(hit('critical', `From uses ${domain}, a mailbox provider's domain; its DMARC policy makes mail sent through us fail and land in spam or bounce.`, 'Send from an address on your own domain.', { excerpt: from.email }));
    } else if (ctx.input.dkimDomain && getDomain(domain) !== getDomain(ctx.input.dkimDomain)) {
      hits.push(hit('critical', `From (${domain}) is not aligned with the DKIM signing domain (${ctx.input.dkimDomain}); DMARC will fail.`, `Send from an address at ${getDomain(ctx.input.dkimDomain)}, or sign for ${domain}.`, { excerpt: from.email }));
    }
    const name = from.name.trim();
    if (!name) hits.push(hit('important', 'The From display name is empty; recipients recognise senders by name.', 'Set a From name that identifies your brand.'));
    else if (name.includes('@')) hits.push(hit('important', `The From name "${clip(name, 60)}" contains an address; that looks like spoofing.`, 'Use a plain name such as your brand.', { excerpt: name }));
    else if (BADGES.test(name)) hits.push(hit('important', `The From name "${clip(name, 60)}" contains emoji or symbols; Google's guidelines forbid badges that fake verification.`, 'Remove the symbols from the From name.', { excerpt: name }));
    else if (name.length > 40 || (subject.length >= 8 && (name.toLowerCase().includes(subject.toLowerCase()) || subject.toLowerCase() === name.toLowerCase()))) {
      hits.push(hit('important', `The From name "${clip(name, 60)}" reads like a subject; it should only identify the sender.`, 'Keep the From name short and put the message in the subject.', { excerpt: name }));
    }
    const answerTo = replyTo ?? from.email;
    if (NO_REPLY.test(answerTo.slice(0, answerTo.lastIndexOf('@')))) {
      hits.push(hit('important', `Replies go to ${answerTo}, a no-reply address; recipients who answer get a bounce and mark the mail as spam instead.`, 'Use a Reply-To address someone reads.', { excerpt: answerTo }));
    }
    return hits;
  },
};
