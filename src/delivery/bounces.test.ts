import { describe, expect, it } from 'vitest';
import { classifyBounce, type BounceClass, type BounceInput, type BounceReason } from './bounces.ts';

type Case = [label: string, input: BounceInput, expected: BounceClass, reason: BounceReason, code?: string];

/**
 * Replies as receivers and providers word them (Gmail 81126/14229414/3726730, Microsoft NDR pages,
 * Yahoo error codes, Postfix/Exim/qmail defaults, SES/SendGrid/Mailgun/Resend payloads), paraphrased.
 */
const CASES: Case[] = [
  // RFC 3463 enhanced codes: recipient side → hard
  ['Gmail unknown account', { diagnostic: '550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the address' }, 'hard', 'user-unknown', '5.1.1'],
  ['SES DSN user unknown', { status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 <jane@example.com>... User unknown' }, 'hard', 'user-unknown', '5.1.1'],
  ['Postfix virtual table', { diagnostic: '550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table' }, 'hard', 'user-unknown', '5.1.1'],
  ['qmail bracketed code', { diagnostic: '511 sorry, no mailbox here by that name (#5.1.1)' }, 'hard', 'user-unknown', '5.1.1'],
  ['bad destination system', { diagnostic: '550 5.1.2 Host unknown (Name server: example.invalid: host not found)' }, 'hard', 'host-unknown', '5.1.2'],
  ['bad address syntax', { diagnostic: '553 5.1.3 Invalid address syntax' }, 'hard', 'user-unknown', '5.1.3'],
  ['mailbox moved', { diagnostic: '550 5.1.6 Recipient mailbox has moved, no forwarding address' }, 'hard', 'mailbox-moved', '5.1.6'],
  ['null MX (RFC 7505)', { diagnostic: '556 5.1.10 Recipient address has null MX' }, 'hard', 'host-unknown', '556'],
  ['Microsoft 5.1.10 recipient not found', { diagnostic: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup' }, 'hard', 'user-unknown', '5.1.10'],
  ['Microsoft RecipNotFound', { diagnostic: 'smtp;550 5.1.1 RESOLVER.ADR.RecipNotFound; not found' }, 'hard', 'user-unknown', '5.1.1'],
  ['Microsoft edge block 5.4.1', { diagnostic: '550 5.4.1 Recipient address rejected: Access denied. AS(201806281)' }, 'hard', 'user-unknown', '5.4.1'],
  ['Gmail disabled account', { diagnostic: '550 5.2.1 The email account that you tried to reach is disabled.' }, 'hard', 'mailbox-disabled', '5.2.1'],
  ['unroutable domain', { diagnostic: '550 5.4.4 Unable to route to example.invalid' }, 'hard', 'host-unknown', '5.4.4'],
  ['user account disabled 5.7.13', { diagnostic: '525 5.7.13 User account disabled' }, 'hard', 'mailbox-disabled', '5.7.13'],
  ['generic 5.0.0 with status only', { status: '5.0.0' }, 'hard', 'permanent', '5.0.0'],
  ['SendGrid generic status, precise text', { status: '5.0.0', diagnostic: "550 5.1.1 The email account that you tried to reach does not exist" }, 'hard', 'user-unknown', '5.1.1'],
  // 5.x.x exceptions: soft
  ['Gmail over quota (permanent code)', { diagnostic: "552-5.2.2 The email account that you tried to reach is over quota." }, 'soft', 'mailbox-full', '5.2.2'],
  ['Microsoft quota exceeded', { diagnostic: '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException' }, 'soft', 'mailbox-full', '5.2.2'],
  ['message too long for mailbox', { diagnostic: '552 5.2.3 Message length exceeds administrative limit' }, 'soft', 'message-too-large', '5.2.3'],
  ['delivery time expired', { diagnostic: '554 5.4.7 delivery expired (message too old)' }, 'soft', 'expired', '5.4.7'],
  ['receiving system full', { diagnostic: '552 5.3.1 Mail system full' }, 'soft', 'system', '5.3.1'],
  // 5.x.x exceptions: block (the receiver refused us)
  ['Gmail unauthenticated 5.7.26', { diagnostic: '550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.' }, 'block', 'auth-failure', '5.7.26'],
  ['Gmail SPF 5.7.27 (not null MX)', { diagnostic: "550-5.7.27 Your email has been blocked because the sender's domain has not passed SPF" }, 'block', 'auth-failure', '5.7.27'],
  ['Gmail no PTR 5.7.25', { diagnostic: '550-5.7.25 The IP address sending this message does not have a PTR record setup' }, 'block', 'reverse-dns', '5.7.25'],
  ['Gmail DKIM 5.7.30', { diagnostic: '550-5.7.30 This message did not pass DKIM' }, 'block', 'auth-failure', '5.7.30'],
  ['Gmail likely unsolicited 5.7.1', { diagnostic: '550-5.7.1 Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked.' }, 'block', 'spam', '5.7.1'],
  ['Microsoft 5.7.515 authentication level', { diagnostic: '550 5.7.515 Access denied, sending domain example.com does not meet the required authentication level.' }, 'block', 'auth-failure', '5.7.515'],
  ['Microsoft banned IP 5.7.606', { diagnostic: '550 5.7.606 Access denied, banned sending IP [203.0.113.7].' }, 'block', 'blocklisted', '5.7.606'],
  ['Microsoft block list S3150', { diagnostic: "550 5.7.1 Unfortunately, messages from [203.0.113.7] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150)." }, 'block', 'blocklisted', '5.7.1'],
  ['Microsoft not authorized', { diagnostic: '550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized' }, 'block', 'policy', '5.7.1'],
  ['Spamhaus listing', { diagnostic: '554 5.7.1 Service unavailable; Client host [203.0.113.7] blocked using zen.spamhaus.org' }, 'block', 'blocklisted', '5.7.1'],
  ['Yahoo BL21 (553 with 5.7.1)', { diagnostic: "553 5.7.1 [BL21] Connections will not be accepted from 203.0.113.7, because the ip is in Spamhaus's list" }, 'block', 'blocklisted', '5.7.1'],
  ['Yahoo policy 5.7.9', { diagnostic: '554 5.7.9 Message not accepted for policy reasons.' }, 'block', 'policy', '5.7.9'],
  ['relay denied', { diagnostic: '554 5.7.1 <x@example.net>: Relay access denied' }, 'block', 'relay-denied', '5.7.1'],
  ['bad envelope sender 5.1.8', { diagnostic: '553 5.1.8 <news@example.com>: Sender address rejected: Domain not found' }, 'block', 'sender-rejected', '5.1.8'],
  ['message too big for system', { diagnostic: '552 5.3.4 Message size exceeds fixed limit' }, 'block', 'message-too-large', '5.3.4'],
  ['content rejected 5.6.x', { diagnostic: '554 5.6.0 Message content rejected' }, 'block', 'policy', '5.6.0'],
  ['SPF violation 5.7.23', { diagnostic: '550 5.7.23 The message was rejected because of Sender Policy Framework violation' }, 'block', 'auth-failure', '5.7.23'],
  // 4.x.x: always soft
  ['Gmail over quota (temporary)', { diagnostic: '452-4.2.2 The email account that you tried to reach is over quota.' }, 'soft', 'mailbox-full', '4.2.2'],
  ['Gmail try again later', { diagnostic: '421-4.7.0 Try again later, closing connection.' }, 'soft', 'rate-limited', '4.7.0'],
  ['Gmail 4.7.28 unusual rate', { diagnostic: '421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address. Mail has been temporarily rate limited.' }, 'soft', 'rate-limited', '4.7.28'],
  ['Microsoft IP reputation deferral', { diagnostic: '421 4.7.650 The mail server [203.0.113.7] has been temporarily rate limited due to IP reputation.' }, 'soft', 'rate-limited', '4.7.650'],
  ['Microsoft server busy', { diagnostic: '451 4.7.500 Server busy. Please try again later from [203.0.113.7]. (S77714)' }, 'soft', 'rate-limited', '4.7.500'],
  ['Yahoo TSS04 deferral (IP-like tail ignored)', { diagnostic: '421 4.7.0 [TSS04] Messages from 203.0.113.7 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1' }, 'soft', 'rate-limited', '4.7.0'],
  ['greylisting', { diagnostic: '450 4.2.0 <x@example.net>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.net.html' }, 'soft', 'greylisted', '4.2.0'],
  ['temporary user unknown stays soft', { diagnostic: '450 4.1.1 <x@example.net>: Recipient address rejected: User unknown in local recipient table' }, 'soft', 'temporary', '4.1.1'],
  ['Hotmail RP-001', { diagnostic: "421 RP-001 (BAY004-MC1F41) Unfortunately, some messages from 203.0.113.7 weren't sent. Please try again." }, 'soft', 'rate-limited', '421'],
  ['Mailgun no MX (498)', { smtpCode: 498, diagnostic: 'No MX for nomx.example.com' }, 'soft', 'temporary', '498'],
  // Bare SMTP reply codes
  ['Yahoo no account (554, text)', { diagnostic: "554 delivery error: dd This user doesn't have a yahoo.com account (x@yahoo.com) [0] - mta1234.mail.ne1.yahoo.com" }, 'hard', 'user-unknown', '554'],
  ['Yahoo disabled mailbox', { diagnostic: '554 delivery error: dd Sorry your message to x@yahoo.com cannot be delivered. This mailbox is disabled (554.30).' }, 'hard', 'mailbox-disabled', '554'],
  ['Yahoo 552 mailbox not found', { diagnostic: '552 1 Requested mail action aborted, mailbox not found' }, 'hard', 'user-unknown', '552'],
  ['552 alone means storage', { diagnostic: '552 Requested mail action aborted: exceeded storage allocation' }, 'soft', 'mailbox-full', '552'],
  ['553 relay host list', { diagnostic: "553 sorry, that domain isn't in my list of allowed rcpthosts" }, 'hard', 'user-unknown', '553'],
  ['RFC 7504 521 with 5.3.2', { diagnostic: '521 5.3.2 example.com does not accept mail' }, 'hard', 'host-unknown', '521'],
  ['Hotmail SC-001', { diagnostic: "550 SC-001 (BAY004-MC1F41) Unfortunately, messages from 203.0.113.7 weren't sent. Hotmail does not relay dynamically-assigned IP ranges." }, 'block', 'blocklisted', '550'],
  ['Exim unrouteable', { diagnostic: '550 Unrouteable address' }, 'hard', 'user-unknown', '550'],
  ['Outlook mailbox unavailable 5.5.0', { diagnostic: '550 5.5.0 Requested action not taken: mailbox unavailable.' }, 'hard', 'user-unknown', '5.5.0'],
  ['SES sandbox: sender not verified', { diagnostic: '554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1' }, 'block', 'sender-rejected', '554'],
  ['bare 550, nothing else', { smtpCode: 550 }, 'hard', 'permanent', '550'],
  // Text only (provider messages without codes)
  ['Resend hard bounce message', { diagnostic: "The recipient's email provider sent a hard bounce message, but didn't specify the reason for the hard bounce." }, 'hard', 'user-unknown'],
  ['Resend account suppression', { diagnostic: 'Resend has suppressed sending to this address because it is on the account-level suppression list.' }, 'hard', 'suppressed'],
  ['Postfix host not found', { diagnostic: 'Host or domain name not found. Name service error for name=example.invalid type=A: Host not found' }, 'hard', 'host-unknown'],
  ['mailbox full text', { diagnostic: 'Mailbox full' }, 'soft', 'mailbox-full'],
  ['quota text', { diagnostic: 'user is over quota' }, 'soft', 'mailbox-full'],
  ['connection timeout', { diagnostic: 'connection timed out' }, 'soft', 'network'],
  ['content filter spam', { diagnostic: 'Message rejected as spam by Content Filtering' }, 'block', 'spam'],
  ['rate limited text', { diagnostic: 'Rate limited: too many messages from your IP' }, 'soft', 'rate-limited'],
  ['blocked text', { diagnostic: 'Message blocked by the recipient server' }, 'block', 'policy'],
  ['no such user text', { diagnostic: 'no such user here' }, 'hard', 'user-unknown'],
  // Provider verdict as last resort; success codes are not bounces
  ['provider says hard, nothing else', { hint: 'hard' }, 'hard', 'permanent'],
  ['provider says soft, unknown text', { hint: 'soft', diagnostic: 'see attached report' }, 'soft', 'temporary'],
  ['nothing at all', {}, 'undetermined', 'unknown'],
  ['a 250 is not a failure', { diagnostic: '250 2.0.0 OK' }, 'undetermined', 'not-a-failure', '2.0.0'],
];

describe('classifyBounce', () => {
  it('has a table of at least 40 real-world replies', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES)('%s', (_label, input, expected, reason, code) => {
    const verdict = classifyBounce(input);
    expect({ class: verdict.class, reason: verdict.reason }).toEqual({ class: expected, reason });
    if (code) expect(verdict.code).toBe(code);
  });

  it('lets the enhanced code outrank both the provider verdict and the text', () => {
    expect(classifyBounce({ hint: 'hard', diagnostic: '552 5.2.2 mailbox full' })).toMatchObject({ class: 'soft', basis: 'enhanced-code' });
    expect(classifyBounce({ hint: 'soft', diagnostic: '550 5.1.1 blocked user' })).toMatchObject({ class: 'hard', basis: 'enhanced-code' });
  });

  it('says which evidence decided', () => {
    expect(classifyBounce({ diagnostic: 'Mailbox full' }).basis).toBe('text');
    expect(classifyBounce({ smtpCode: 553 }).basis).toBe('reply-code');
    expect(classifyBounce({ hint: 'block' }).basis).toBe('provider');
    expect(classifyBounce({}).basis).toBe('none');
  });
});
