import { clip, contrastOf, type LinkInfo, type MessageView } from '../dom.ts';
import { CLIP_ERROR_BYTES } from './size.ts';
import { hit, isMarketing, type Check, type CheckContext, type Hit } from './check.ts';
import { ownPrefix } from './links.ts';

/** Words of unsubscribe and preference links in the languages we write in. */
const UNSUB_WORDS =
  /unsubscribe|opt[\s-]?out|(manage|update|change|edit) (your |my )?(email |e-mail |subscription )?(preferences|settings|subscription)|email preferences|abmelden|abbestellen|d[ée]sinscri|d[ée]sabonner|darse de baja|darte de baja|(cancelar|anular) (la |tu |su )?suscripci|disiscriv|annulla (l'|la )?iscrizione|uitschrijven|afmelden|descadastr|cancelar inscri|avregistrer|afmeld|wypisz|odhl[áa]sit|отписаться/i;
const UNSUB_PATH = /unsub|opt-?out|\/preferences|\/u\//i;

export const isUnsubscribeLink = (l: LinkInfo) => UNSUB_WORDS.test(l.text) || UNSUB_WORDS.test(l.el.attribs.title ?? '') || (/^https?:/i.test(l.href) && UNSUB_PATH.test(l.href));

/** Check 14: RFC 8058 one-click unsubscribe headers (Gmail and Yahoo bulk-sender rules). */
export const unsubHeadersCheck: Check = {
  id: 'unsub.headers',
  scope: 'message',
  run(_view: MessageView, ctx: CheckContext): Hit[] {
    if (!isMarketing(ctx)) return [];
    const hits: Hit[] = [];
    const header = (n: string) => ctx.sent.headers.find((h) => h.name.toLowerCase() === n)?.value.trim();
    const list = header('list-unsubscribe');
    if (!list) {
      hits.push(hit('critical', 'The List-Unsubscribe header is missing; Gmail and Yahoo require one-click unsubscribe for marketing mail.', 'Send List-Unsubscribe with an https URL and List-Unsubscribe-Post: List-Unsubscribe=One-Click.'));
    } else if (!(list.match(/<([^>]+)>/g) ?? []).some((u) => /^<https:\/\//i.test(u) || u.startsWith(`<${ownPrefix(ctx)}`))) {
      hits.push(hit('critical', 'List-Unsubscribe has no https URL; one-click unsubscribe (RFC 8058) needs one.', 'Add an https unsubscribe URL to List-Unsubscribe.', { excerpt: clip(list, 120) }));
    }
    const post = header('list-unsubscribe-post');
    if (list && post?.replace(/\s+/g, '') !== 'List-Unsubscribe=One-Click') {
      hits.push(hit('critical', 'List-Unsubscribe-Post: List-Unsubscribe=One-Click is missing; without it mailbox providers cannot unsubscribe in one click.', 'Add the List-Unsubscribe-Post header.', post ? { excerpt: post } : {}));
    }
    const dkim = header('dkim-signature');
    if (dkim && list) {
      const signed = (/(?:^|;)\s*h=([^;]+)/i.exec(dkim)?.[1] ?? '').split(':').map((h) => h.trim().toLowerCase());
      const unsigned = ['list-unsubscribe', 'list-unsubscribe-post'].filter((h) => !signed.includes(h));
      if (unsigned.length) hits.push(hit('critical', `The DKIM signature does not cover ${unsigned.join(' and ')}; RFC 8058 requires both to be signed.`, 'Include both headers in the DKIM h= list.'));
    }
    return hits;
  },
};

/** Check 15: a visible unsubscribe or preferences link in the body. */
export const unsubBodyLinkCheck: Check = {
  id: 'unsub.body-link',
  scope: 'message',
  run(view: MessageView, ctx: CheckContext): Hit[] {
    if (!isMarketing(ctx)) return [];
    const links = view.links.filter(isUnsubscribeLink);
    const visible = links.filter((l) => !l.hidden);
    if (visible.length === 0) {
      return [
        hit('critical', links.length ? 'The unsubscribe link is hidden; the law (CAN-SPAM, CASL) and Gmail/Yahoo require a clearly visible one.' : 'The body has no unsubscribe link; the law (CAN-SPAM, CASL) and Gmail/Yahoo require a visible one.', 'Add a visible unsubscribe link to the footer.', {
          el: links[0]?.el,
        }),
      ];
    }
    const link = visible[0];
    const hits: Hit[] = [];
    const runs = link.runs.filter((r) => !r.hidden);
    const smallest = Math.min(...runs.map((r) => r.fontPx));
    if (runs.length && smallest < 10) hits.push(hit('important', `The unsubscribe link is ${Math.round(smallest)} px; too small to find.`, 'Make it at least 12 px.', { el: link.el }));
    const weakest = Math.min(...runs.map((r) => (r.backgroundImage ? 21 : contrastOf(r))));
    if (runs.length && weakest < 3) hits.push(hit('important', `The unsubscribe link has a contrast of ${weakest.toFixed(1)}:1; it is hard to see.`, 'Give it a colour with at least 4.5:1 contrast.', { el: link.el }));
    const offset = link.el.sourceCodeLocation?.startOffset ?? 0;
    if (Buffer.byteLength(view.html) >= CLIP_ERROR_BYTES && Buffer.byteLength(view.html.slice(0, offset)) >= CLIP_ERROR_BYTES) {
      hits.push(hit('important', 'The unsubscribe link sits after the point where Gmail clips the message; readers will not see it.', 'Shorten the email, or move the unsubscribe link higher.', { el: link.el }));
    }
    return hits;
  },
};

/** Letters and digits only: addresses are written with different commas, line breaks and spaces. */
export const normaliseAddress = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');

/** Check 16: the brand's postal address in the visible body (CAN-SPAM, CASL). */
export const postalAddressCheck: Check = {
  id: 'compliance.postal-address',
  scope: 'message',
  run(view: MessageView, ctx: CheckContext): Hit[] {
    if (!isMarketing(ctx)) return [];
    const address = normaliseAddress(ctx.input.brand.postalAddress);
    if (!address) {
      return [hit('critical', 'The brand has no postal address; CAN-SPAM and CASL require one in every marketing email.', 'Add the postal address in the brand settings; the footer shows it.')];
    }
    if (normaliseAddress(view.visibleText).includes(address)) return [];
    return [hit('critical', `The body does not show the brand's postal address (${clip(ctx.input.brand.postalAddress, 80)}); CAN-SPAM and CASL require it.`, 'Add a footer with the postal address.')];
  },
};
