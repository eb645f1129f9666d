/**
 * Bounce classification (S9.2): turns what a receiving server or a provider said about a failed
 * delivery into one class and one reason, so suppression and domain health act on the same words.
 *
 * Classes say what to do with the *recipient*:
 * - `hard`: the address is bad (unknown user, dead domain, disabled mailbox) → suppress.
 * - `soft`: a temporary problem (full mailbox, rate limit, greylisting, expiry) → retry; repeated soft
 *   bounces are escalated by the suppression policy, not here.
 * - `block`: the receiver refused *us* (policy, authentication, reputation, spam content, size) → never
 *   suppress the recipient; alert the sender and let domain health pause the campaign.
 * - `undetermined`: nothing recognisable.
 *
 * Evidence order (preflight.md §4.3): an RFC 3463 enhanced status code `x.y.z` first; a bare SMTP reply
 * code gives the severity and a default; recognisable text refines generic codes (x.y.0, 5.7.1, 550…)
 * and decides alone when there is no code; the provider's own verdict is the last resort.
 * A class-4 code is always soft: text may name the reason but never makes a temporary failure permanent.
 */

export const BOUNCE_CLASSES = ['hard', 'soft', 'block', 'undetermined'] as const;
export type BounceClass = (typeof BOUNCE_CLASSES)[number];

/** Sisimai-like reasons, so results can be compared with outside corpora. */
export type BounceReason =
  | 'user-unknown'
  | 'host-unknown'
  | 'mailbox-disabled'
  | 'mailbox-moved'
  | 'mailbox-full'
  | 'message-too-large'
  | 'expired'
  | 'rate-limited'
  | 'greylisted'
  | 'auth-failure'
  | 'reverse-dns'
  | 'tls-required'
  | 'blocklisted'
  | 'spam'
  | 'content'
  | 'policy'
  | 'relay-denied'
  | 'sender-rejected'
  | 'network'
  | 'system'
  | 'protocol'
  | 'suppressed'
  | 'temporary'
  | 'permanent'
  | 'not-a-failure'
  | 'unknown';

export interface BounceInput {
  /** Enhanced status as the provider reports it (`5.1.1`, SendGrid's `5.0.0`), if any. */
  status?: string | null;
  /** The SMTP reply code when the provider gives it separately (Mailgun `delivery-status.code`). */
  smtpCode?: number | string | null;
  /** Diagnostic text: `smtp; 550 5.1.1 <x@y>... User unknown`, a provider's bounce message… */
  diagnostic?: string | null;
  /** The provider's own verdict, used only when the codes and the text say nothing. */
  hint?: BounceClass;
}

export interface BounceVerdict {
  class: BounceClass;
  reason: BounceReason;
  /** The code the verdict rests on: enhanced (`5.1.1`) or reply (`550`) code. */
  code?: string;
  /** Which evidence decided: helps explain a verdict in the UI and in tests. */
  basis: 'enhanced-code' | 'reply-code' | 'text' | 'provider' | 'none';
}

interface Enhanced {
  code: string;
  klass: number;
  subject: number;
  detail: number;
}

type Rule = { class: BounceClass; reason: BounceReason };

// Digits or dots around the match would make it part of an IP address or a longer version string.
const ENHANCED_RE = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?!\.?\d)/g;
// A reply code at the start of the text or after "smtp;" / "said:", followed by a space, dash or end.
const REPLY_RE = /(?:^|[;:\s(])([245]\d\d)(?=[\s-]|$)/;

/** x.y.0 says only "other"; 5.7.1 is every receiver's catch-all refusal. Text decides those. */
const isGeneric = (e: Enhanced) => e.detail === 0 || e.code === '5.7.1';

/** The most specific enhanced code in the status or the text (SendGrid reports `5.0.0` beside a precise diagnostic). */
function findEnhanced(input: BounceInput): Enhanced | undefined {
  const found: Enhanced[] = [];
  for (const source of [input.status, input.diagnostic]) {
    for (const m of source?.matchAll(ENHANCED_RE) ?? []) {
      found.push({ code: `${m[1]}.${Number(m[2])}.${Number(m[3])}`, klass: Number(m[1]), subject: Number(m[2]), detail: Number(m[3]) });
    }
  }
  return found.find((e) => !isGeneric(e)) ?? found[0];
}

function findReply(input: BounceInput): number | undefined {
  const explicit = Number(input.smtpCode);
  if (Number.isInteger(explicit) && explicit >= 200 && explicit < 600) return explicit;
  const m = input.diagnostic ? REPLY_RE.exec(input.diagnostic.trim()) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * Phrases seen in real bounces (PHP-Bounce-Handler, ZoneMTA and KumoMTA rule sets, Gmail, Microsoft and
 * Yahoo error pages), most specific first: a recipient-unknown phrase beats "blocked" in the same text.
 */
const TEXT_RULES: ReadonlyArray<[RegExp, Rule]> = [
  [/suppress(ed|ion list)|on (the )?(account[- ]level )?suppression/, { class: 'hard', reason: 'suppressed' }],
  [
    /user unknown|unknown user|no such (user|recipient|mailbox|address)|user (does not|doesn't) exist|(account|address|mailbox|recipient)( that you tried to reach)? (does not|doesn't) exist|recip(ient)?_?notfound|recipient not found|unknown recipient|invalid recipient|no mailbox here|mailbox not found|doesn't have an? [\w.-]+ account|recipient address rejected: (access denied|user unknown)|unrouteable address/,
    { class: 'hard', reason: 'user-unknown' },
  ],
  [/host or domain name not found|domain (not found|does not exist)|no mx|null mx|does not accept mail|name service error|unknown domain/, { class: 'hard', reason: 'host-unknown' }],
  [/(mailbox|account) (is )?(disabled|inactive|deactivated|suspended)|account has been disabled|inactive (user|account|mailbox)/, { class: 'hard', reason: 'mailbox-disabled' }],
  [/mailbox (is )?full|over quota|quota exceeded|exceeded (the )?(storage|quota)|insufficient (system )?storage|mailbox size limit/, { class: 'soft', reason: 'mailbox-full' }],
  [/message (is )?too (large|big)|size exceeds|exceeds (the )?(maximum|fixed) (message )?size|message size/, { class: 'block', reason: 'message-too-large' }],
  [/rate.?limit|too many (messages|connections|recipients)|throttl|try again later|temporarily deferred|unexpected volume|sending limit exceeded|\brp-00\d\b/, { class: 'soft', reason: 'rate-limited' }],
  [/greylist|graylist/, { class: 'soft', reason: 'greylisted' }],
  [/spamhaus|spamcop|barracuda|sorbs|blocklist|blacklist|block list|black list|banned|listed (at|on|in)|\b(sc|dy)-00\d\b/, { class: 'block', reason: 'blocklisted' }],
  [/\bspf\b|\bdkim\b|\bdmarc\b|unauthenticated|not authenticated|authentication (level|failed|required)/, { class: 'block', reason: 'auth-failure' }],
  [/ptr record|reverse dns|rdns/, { class: 'block', reason: 'reverse-dns' }],
  [/spam|unsolicited|bulk mail|junk/, { class: 'block', reason: 'spam' }],
  [/relay(ing)? (access )?denied|not permitted to relay|relay not permitted/, { class: 'block', reason: 'relay-denied' }],
  [/sender address rejected|sender (domain|address) (is )?(invalid|not found)|not verified/, { class: 'block', reason: 'sender-rejected' }],
  [/blocked|reputation|policy|prohibited|refused|access denied|rejected|not accepted/, { class: 'block', reason: 'policy' }],
  [/mailbox unavailable|mailbox (is )?not available|no longer (valid|available|active)|hard bounce/, { class: 'hard', reason: 'user-unknown' }],
  [/timed? ?out|connection (refused|reset|lost|dropped)|unable to connect|network/, { class: 'soft', reason: 'network' }],
  [/expired|too old|retry (time|timeout) exceeded|delivery time/, { class: 'soft', reason: 'expired' }],
  [/temporar(y|ily)|transient|soft bounce|deferred|server busy|service (is )?(currently )?unavailable/, { class: 'soft', reason: 'temporary' }],
];

function matchText(diagnostic: string | null | undefined, accept: (rule: Rule) => boolean = () => true): Rule | undefined {
  if (!diagnostic) return undefined;
  const text = diagnostic.toLowerCase();
  return TEXT_RULES.find(([re, rule]) => accept(rule) && re.test(text))?.[1];
}

/** Class-5 verdict by enhanced code (RFC 3463, RFC 7372, IANA registry, provider-specific details). */
function permanentByEnhanced({ subject, detail }: Enhanced): Rule {
  switch (subject) {
    case 1:
      if (detail === 7 || detail === 8) return { class: 'block', reason: 'sender-rejected' }; // our envelope sender is bad
      if (detail === 2 || detail === 10) return { class: 'hard', reason: 'host-unknown' };
      if (detail === 6) return { class: 'hard', reason: 'mailbox-moved' };
      return { class: 'hard', reason: 'user-unknown' };
    case 2:
      if (detail === 1) return { class: 'hard', reason: 'mailbox-disabled' };
      if (detail === 2) return { class: 'soft', reason: 'mailbox-full' };
      if (detail === 3) return { class: 'soft', reason: 'message-too-large' };
      return { class: 'hard', reason: 'user-unknown' };
    case 3:
      // The receiving system's own trouble, not the address's: retrying later can work, except for size.
      if (detail === 4) return { class: 'block', reason: 'message-too-large' };
      return { class: 'soft', reason: 'system' };
    case 4:
      if (detail === 7) return { class: 'soft', reason: 'expired' };
      if (detail === 5 || detail === 6) return { class: 'soft', reason: 'system' }; // congestion, routing loop
      // 5.4.4 unroutable; Microsoft's 5.4.1 "Recipient address rejected: Access denied" is an unknown user.
      return { class: 'hard', reason: detail === 1 ? 'user-unknown' : 'host-unknown' };
    case 5:
      return { class: 'block', reason: 'protocol' };
    case 6:
      return { class: 'block', reason: 'content' };
    case 7:
      return securityVerdict(detail);
    default:
      return { class: 'hard', reason: 'permanent' };
  }
}

/** x.7.x: almost always about the sender; a few details (RFC 3463/7372, KumoMTA's table) are about the recipient. */
function securityVerdict(detail: number): Rule {
  if (detail === 13) return { class: 'hard', reason: 'mailbox-disabled' }; // user account disabled
  if (detail === 17) return { class: 'hard', reason: 'user-unknown' }; // mailbox owner has changed
  if (detail === 18) return { class: 'hard', reason: 'host-unknown' }; // domain owner has changed
  if (detail === 25) return { class: 'block', reason: 'reverse-dns' }; // Gmail: no PTR
  if (detail === 29) return { class: 'block', reason: 'tls-required' };
  // 5.7.26 (Gmail, unauthenticated), 5.7.27 (Gmail SPF; IANA null-MX sender), 5.7.23 SPF, 5.7.30 DKIM,
  // 5.7.515 (Microsoft consumer domains: authentication level not met), 5.7.5/5.7.7/5.7.20-24 auth results.
  if ([5, 7, 20, 21, 22, 23, 24, 26, 27, 30, 515].includes(detail)) return { class: 'block', reason: 'auth-failure' };
  if (detail === 28) return { class: 'block', reason: 'spam' }; // mail flood / unsolicited volume
  if (detail >= 500 && detail < 800) return { class: 'block', reason: 'blocklisted' }; // Microsoft 5.7.5xx-7xx banned IPs/tenants
  return { class: 'block', reason: 'policy' };
}

/** Reason for a temporary (class 4) failure: text can be precise, else the subject names it. */
function transientReason(e: Enhanced | undefined, diagnostic: string | null | undefined): BounceReason {
  // Hard phrases cannot apply to a temporary failure, and a bare "rejected" says less than the subject.
  const text = matchText(diagnostic, (rule) => rule.class !== 'hard' && rule.reason !== 'policy');
  if (text) return text.reason;
  if (e?.subject === 2 && (e.detail === 2 || e.detail === 3)) return e.detail === 2 ? 'mailbox-full' : 'message-too-large';
  if (e?.subject === 4) return e.detail === 7 ? 'expired' : 'network';
  if (e?.subject === 7) return 'policy';
  return 'temporary';
}

/** Class-5 failures. RFC 7504's 521/556 (domain accepts no mail) outrank everything. */
function permanentVerdict(enhanced: Enhanced | undefined, reply: number | undefined, diagnostic: string | null | undefined): Rule & { basis: BounceVerdict['basis']; code?: string } {
  if (reply === 521 || reply === 556) return { class: 'hard', reason: 'host-unknown', basis: 'reply-code', code: String(reply) };
  const text = matchText(diagnostic);
  if (enhanced && !isGeneric(enhanced)) {
    const rule = permanentByEnhanced(enhanced);
    // Better words for the same bad address: Microsoft's 5.1.10 "RecipientNotFound" is an unknown user, not a null MX.
    const reason = rule.class === 'hard' && text?.class === 'hard' ? text.reason : rule.reason;
    return { class: rule.class, reason, basis: 'enhanced-code' };
  }
  if (!enhanced && (reply === 551 || reply === 553)) return { class: 'hard', reason: 'user-unknown', basis: 'reply-code' };
  if (text) return { ...text, basis: 'text' };
  const basis = enhanced ? 'enhanced-code' : 'reply-code';
  if (enhanced) return { ...permanentByEnhanced(enhanced), basis };
  if (reply === 552) return { class: 'soft', reason: 'mailbox-full', basis };
  return { class: 'hard', reason: 'permanent', basis };
}

const HINT_REASON: Record<Exclude<BounceClass, 'undetermined'>, BounceReason> = { hard: 'permanent', soft: 'temporary', block: 'policy' };

export function classifyBounce(input: BounceInput): BounceVerdict {
  const enhanced = findEnhanced(input);
  const reply = findReply(input);
  const severity = enhanced?.klass ?? (reply ? Math.floor(reply / 100) : undefined);
  const code = enhanced?.code ?? (reply ? String(reply) : undefined);
  const basis = enhanced ? 'enhanced-code' : 'reply-code';

  if (severity === 2) return { class: 'undetermined', reason: 'not-a-failure', code, basis };
  if (severity === 4) return { class: 'soft', reason: transientReason(enhanced, input.diagnostic), code, basis };
  if (severity === 5) {
    const verdict = permanentVerdict(enhanced, reply, input.diagnostic);
    return { ...verdict, code: verdict.code ?? code };
  }
  const text = matchText(input.diagnostic);
  if (text) return { ...text, basis: 'text' };
  if (input.hint && input.hint !== 'undetermined') return { class: input.hint, reason: HINT_REASON[input.hint], basis: 'provider' };
  return { class: 'undetermined', reason: 'unknown', basis: 'none' };
}
