import { getDomain, parse as parseHost } from 'tldts';
import { clip, type LinkInfo, type MessageView } from '../dom.ts';
import { hit, isMarketing, type Check, type CheckContext, type Hit } from './check.ts';

/** Merge-tag syntaxes of ours and other platforms, raw or percent-encoded, left in a URL. */
const UNRESOLVED_IN_URL = /\{\{|\}\}|\{%|%\}|\*\||\|\*|%%[A-Za-z]|\$\{|\[\[|%7B%7B|%7D%7D/i;
/** RFC 2606/6761 names and hosts that only exist on a developer's machine or in examples. */
const PLACEHOLDER_HOST = /(^|\.)(example\.(com|net|org)|localhost|[^.]+\.(example|test|invalid|localhost|local|internal))$|^(example|localhost)$/i;
const STAGING_HOST = /^(staging|stage|stg|dev|develop|test|qa|uat|preview|sandbox)[.-]|[.-](staging|stage)\./i;
const PRIVATE_IPV4 = /^(127\.|10\.|192\.168\.|169\.254\.|0\.|172\.(1[6-9]|2\d|3[01])\.)/;

export const SCRIPT_OR_DATA = /^\s*(javascript|vbscript|data):/i;

/** Distinct hrefs with the first link that has each: one finding per URL, not per repetition. */
function firstOfEach(links: LinkInfo[]): LinkInfo[] {
  const seen = new Map<string, LinkInfo>();
  for (const l of links) if (!seen.has(l.href)) seen.set(l.href, l);
  return [...seen.values()];
}

export function urlOf(href: string): URL | null {
  try {
    return new URL(href);
  } catch {
    return null;
  }
}

/** Check 17: every link is a well-formed, public, final URL. */
export const linkSyntaxCheck: Check = {
  id: 'links.syntax',
  scope: 'persona',
  run(view: MessageView, ctx: CheckContext): Hit[] {
    const hits: Hit[] = [];
    // Our own tracking, unsubscribe and view-in-browser links are judged once, by publicUrlCheck.
    const own = ownPrefix(ctx);
    for (const link of firstOfEach(view.links)) {
      if (link.href.startsWith(own)) continue;
      const problem = linkProblem(link.href);
      if (problem) hits.push(hit(problem.severity, problem.message, problem.fix, { el: link.el, excerpt: clip(link.href, 160), locate: link.href }));
    }
    return hits;
  },
};

/** The start every link to this server has: `https://mail.example.com/`. */
export const ownPrefix = (ctx: CheckContext) => `${ctx.input.publicUrl.replace(/\/+$/, '')}/`;

/**
 * Check 17b: the server's public URL, which every unsubscribe, tracking and view-in-browser link
 * starts with. One finding about the setting instead of one per link; important rather than
 * critical because a local install that only sends to its capture inbox is right to use localhost
 * (campaigns through a real provider refuse to start with such a URL).
 */
export const publicUrlCheck: Check = {
  id: 'links.public_url',
  scope: 'message',
  run(_view: MessageView, ctx: CheckContext): Hit[] {
    const url = ctx.input.publicUrl;
    const problem = publicUrlProblem(url);
    if (!problem) return [];
    return [hit('important', `This server's public URL (${url}) ${problem}, so recipients cannot open its unsubscribe, tracking and view-in-browser links.`, 'Set TIDINGS_PUBLIC_URL to the public https:// address of this server before sending to real people.', { excerpt: url })];
  },
};

/** Why a public URL does not work for recipients elsewhere, or null when it does. */
export function publicUrlProblem(publicUrl: string): string | null {
  const url = urlOf(publicUrl);
  if (!url) return 'is not a valid URL';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (PLACEHOLDER_HOST.test(host) || PRIVATE_IPV4.test(host) || host === '::1') return 'only exists on this machine or a private network';
  if (url.protocol !== 'https:') return 'is not https';
  return null;
}

function linkProblem(href: string): { severity: 'critical' | 'important'; message: string; fix: string } | null {
  const fixIt = 'Link to the final public https:// address.';
  if (href === '' || href === '#') return { severity: 'critical', message: 'A link has no destination (empty or "#").', fix: 'Set the link target, or remove the link.' };
  if (href.startsWith('#') || SCRIPT_OR_DATA.test(href)) return null; // local anchors: compat; script URLs: html.forbidden
  if (UNRESOLVED_IN_URL.test(href)) return { severity: 'critical', message: `A link still contains a merge tag after rendering: ${clip(href, 80)}`, fix: 'Use a merge tag that exists, or give it a default.' };
  const mail = /^(mailto|tel|sms):(.*)$/i.exec(href);
  if (mail) {
    const ok = mail[1].toLowerCase() === 'mailto' ? /^[^@\s?]+@[^@\s?]+\.[^@\s?]+/.test(decodeURIComponent(mail[2])) : /\d/.test(mail[2]);
    return ok ? null : { severity: 'critical', message: `The ${mail[1]}: link "${clip(href, 60)}" has no valid address or number.`, fix: 'Correct the address or number.' };
  }
  const url = urlOf(href);
  if (!url) return { severity: 'critical', message: `"${clip(href, 80)}" is not a complete URL (relative or malformed); it goes nowhere in an email.`, fix: fixIt };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { severity: 'critical', message: `The ${url.protocol} link "${clip(href, 60)}" does not open from an email.`, fix: fixIt };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (PLACEHOLDER_HOST.test(host) || PRIVATE_IPV4.test(host) || host === '::1') {
    return { severity: 'critical', message: `A link points to ${host}, which only exists on a private network or in examples.`, fix: fixIt };
  }
  if (STAGING_HOST.test(host)) return { severity: 'critical', message: `A link points to ${host}, which looks like a staging or test server.`, fix: fixIt };
  if (parseHost(host).isIp) return { severity: 'important', message: `A link points to a bare IP address (${host}); mailbox providers treat that as phishing.`, fix: 'Link to a domain name instead.' };
  if (url.protocol === 'http:') return { severity: 'important', message: `A link uses http:// (${clip(href, 60)}); browsers warn and some filters penalise it.`, fix: 'Use https://.' };
  if (url.port) return { severity: 'important', message: `A link uses the unusual port ${url.port}; filters treat that as suspicious and firewalls block it.`, fix: 'Link to the standard https port.' };
  return null;
}

/** Public URL shorteners (SpamAssassin URL_SHORTENER_*; they hide the destination). */
const SHORTENERS = new Set([
  'bit.ly', 'bitly.com', 'tinyurl.com', 't.co', 'goo.gl', 'ow.ly', 'is.gd', 'buff.ly', 'rebrand.ly', 'cutt.ly', 'shorturl.at', 'rb.gy', 'tiny.cc', 'bl.ink', 't.ly',
  's.id', 'v.gd', 'lnkd.in', 'soo.gd', 'clck.ru', 'shorte.st', 'adf.ly', 'bc.vc', 'po.st', 'qr.net', 'tr.im', 'x.co', 'urlz.fr', 'snip.ly', 'db.tt', 'shorturl.com',
  'tiny.one', 'rotf.lol', 'short.io', 'lnkiy.com', 'trib.al', 'dlvr.it', 'ift.tt', 'mcaf.ee', 'su.pr', 'u.to', 'qrco.de', 'linktr.ee',
]);

/** Check 19: links through public shorteners. */
export const shortenerCheck: Check = {
  id: 'links.shortener',
  scope: 'message',
  run(view: MessageView): Hit[] {
    const hits: Hit[] = [];
    for (const link of firstOfEach(view.links)) {
      const host = urlOf(link.href)?.hostname.toLowerCase().replace(/^www\./, '');
      if (host && SHORTENERS.has(host)) {
        hits.push(hit('important', `A link goes through the public shortener ${host}; spam filters distrust shorteners because they hide where a link goes.`, 'Link to the full destination URL.', { el: link.el, excerpt: link.href, locate: link.href }));
      }
    }
    return hits;
  },
};

/** Link text that is itself a URL or domain ("paypal.com", "https://x.y/z", "www.shop.de"). */
const DOMAINISH = /^(?:https?:\/\/)?(?:www\.)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63})(?::\d+)?(?:[/?#]\S*)?$/i;

/** Check 20: link text naming one domain while the link goes to another (a phishing pattern). */
export const textMismatchCheck: Check = {
  id: 'links.text-mismatch',
  scope: 'persona',
  run(view: MessageView): Hit[] {
    const hits: Hit[] = [];
    for (const link of view.links) {
      const shown = DOMAINISH.exec(link.text.trim())?.[1];
      if (!shown) continue;
      const shownParsed = parseHost(shown);
      if (!shownParsed.isIcann || !shownParsed.domain) continue;
      const target = urlOf(link.href)?.hostname;
      if (!target) continue;
      const targetDomain = getDomain(target) ?? target;
      if (targetDomain.toLowerCase() !== shownParsed.domain.toLowerCase()) {
        hits.push(hit('critical', `The link text says ${shownParsed.domain} but the link goes to ${targetDomain}; that is what phishing looks like, and filters block it.`, 'Make the link text describe the destination, or link to the domain it names.', { el: link.el, locate: link.href }));
      }
    }
    return hits;
  },
};

const UTM = ['utm_source', 'utm_medium', 'utm_campaign'] as const;

/** Check 21: own-domain links carry UTM parameters, consistently. */
export const utmCheck: Check = {
  id: 'links.tracking',
  scope: 'message',
  run(view: MessageView, ctx: CheckContext): Hit[] {
    if (!isMarketing(ctx)) return [];
    const fromDomain = getDomain(view.message.from.email.slice(view.message.from.email.lastIndexOf('@') + 1));
    if (!fromDomain) return [];
    const ourHost = urlOf(ctx.input.publicUrl)?.host;
    const own = firstOfEach(view.links)
      .map((l) => ({ link: l, url: urlOf(l.href) }))
      .filter((x): x is { link: LinkInfo; url: URL } => !!x.url && /^https?:$/.test(x.url.protocol) && x.url.host !== ourHost && getDomain(x.url.hostname) === fromDomain);
    if (own.length === 0) return [];
    const tagged = own.filter((x) => UTM.every((p) => x.url.searchParams.get(p)));
    if (tagged.length === 0) {
      return [hit('suggested', `None of the ${own.length} links to ${fromDomain} carries utm_source, utm_medium and utm_campaign; your analytics will not attribute visits to this email.`, 'Add UTM parameters to links to your own site.', { el: own[0].link.el, locate: own[0].link.href })];
    }
    const hits: Hit[] = [];
    for (const x of own.filter((o) => !tagged.includes(o))) {
      const missing = UTM.filter((p) => !x.url.searchParams.get(p));
      hits.push(hit('important', `A link to ${fromDomain} lacks ${missing.join(', ')} while other links have them; its visits will be attributed differently.`, 'Give every link to your site the same UTM parameters.', { el: x.link.el, excerpt: clip(x.link.href, 160), locate: x.link.href }));
    }
    const campaigns = [...new Set(tagged.map((x) => x.url.searchParams.get('utm_campaign')!))];
    if (campaigns.length > 1) {
      hits.push(hit('important', `Links use ${campaigns.length} different utm_campaign values (${campaigns.map((c) => `"${clip(c, 30)}"`).join(', ')}); one email should report as one campaign.`, 'Use one utm_campaign value (and utm_content to tell links apart).'));
    }
    return hits;
  },
};
