import crypto, { type KeyObject } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';
import { safeEqual } from '../../shared/crypto.ts';
import { invalid, issuesFromZod } from '../../shared/errors.ts';
import type { RawWebhook, Rejection, RejectionReason, Verification, WebhookProvider, WebhookVerifier } from './model.ts';
import { checkFreshness, DEFAULT_TOLERANCE_SECONDS } from './replay.ts';
import { fetchCertificatePem, SNS_DIGESTS, snsCertificateCache, SnsEnvelope, snsStringToSign, snsUrlProblem, type CertificateFetcher } from './sns.ts';

/**
 * One verifier per provider account, built from its secrets (esp.md §3). Building validates the secrets
 * and throws a DomainError naming the bad one; `verify` never throws: every refusal is a Rejection with a
 * reason. Signatures are always checked over the raw bytes, before any JSON parsing we depend on.
 *
 * - SendGrid: ECDSA P-256/SHA-256 over `timestamp + body`, public key from Mail Settings (base64 SPKI or PEM).
 * - Resend: Svix / Standard Webhooks, HMAC-SHA256 over `id.timestamp.body` with the `whsec_` secret.
 * - Mailgun: HMAC-SHA256(signing key, timestamp + token), sent inside the JSON body. The HMAC does not
 *   cover event-data: the timestamp window plus single-use tokens (the event's dedupeKey) stop replays.
 * - Postmark: signs nothing. The webhook URL carries basic-auth credentials
 *   (`https://user:pass@host/…`, sent as an Authorization header) and/or a custom secret header set on
 *   the webhook; both are compared in constant time. Postmark's IP ranges change, so no allowlist.
 * - SES via SNS: RSA signature from an Amazon certificate (sns.ts), TopicArn allowlist, 1 h message age.
 */

export type VerifierConfig =
  | { provider: 'sendgrid'; publicKey: string; toleranceSeconds?: number }
  | { provider: 'resend'; secret: string; toleranceSeconds?: number }
  | { provider: 'mailgun'; signingKey: string; toleranceSeconds?: number }
  | { provider: 'postmark'; basicAuth?: { username: string; password: string }; header?: { name: string; value: string } }
  | { provider: 'ses'; topicArns: string[]; maxAgeSeconds?: number };

export interface VerifierDeps {
  clock: Clock;
  /** How SNS signing certificates are fetched; the default uses `fetch` (tests inject a local one). */
  fetchCertificate?: CertificateFetcher;
}

export function createVerifier(config: VerifierConfig, deps: VerifierDeps): WebhookVerifier {
  switch (config.provider) {
    case 'sendgrid':
      return sendgridVerifier(config, deps.clock);
    case 'resend':
      return svixVerifier(config, deps.clock);
    case 'mailgun':
      return mailgunVerifier(config, deps.clock);
    case 'postmark':
      return postmarkVerifier(config);
    case 'ses':
      return snsVerifier(config, deps);
  }
}

const reject = (provider: WebhookProvider, reason: RejectionReason, message: string): Rejection => ({ ok: false, provider, reason, message });

function header(raw: RawWebhook, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(raw.headers)) {
    if (key.toLowerCase() === wanted) return (Array.isArray(value) ? value[0] : value) || undefined;
  }
  return undefined;
}

const bodyBytes = (raw: RawWebhook): Buffer => (typeof raw.body === 'string' ? Buffer.from(raw.body, 'utf8') : Buffer.from(raw.body));

function parseJson(provider: WebhookProvider, bytes: Buffer): { ok: true; value: unknown } | Rejection {
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) };
  } catch {
    return reject(provider, 'malformed', 'the body is not JSON');
  }
}

function unixSeconds(value: string): number | undefined {
  return /^\d{1,12}$/.test(value.trim()) ? Number(value) : undefined;
}

function sendgridVerifier(config: { publicKey: string; toleranceSeconds?: number }, clock: Clock): WebhookVerifier {
  const key = sendgridPublicKey(config.publicKey);
  const tolerance = config.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const SIGNATURE = 'X-Twilio-Email-Event-Webhook-Signature';
  const TIMESTAMP = 'X-Twilio-Email-Event-Webhook-Timestamp';
  return {
    provider: 'sendgrid',
    async verify(raw) {
      const signature = header(raw, SIGNATURE);
      const timestamp = header(raw, TIMESTAMP);
      if (!signature) return reject('sendgrid', 'missing_signature', `${SIGNATURE} header is missing`);
      if (!timestamp) return reject('sendgrid', 'missing_signature', `${TIMESTAMP} header is missing`);
      const seconds = unixSeconds(timestamp);
      if (seconds === undefined) return reject('sendgrid', 'malformed', `${TIMESTAMP} is not a Unix time`);
      const body = bodyBytes(raw);
      const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), body]);
      if (!ecdsaValid(key, signed, signature)) return reject('sendgrid', 'bad_signature', `${SIGNATURE} does not match the body and timestamp`);
      const freshness = checkFreshness(seconds, clock, tolerance);
      if (!freshness.fresh) return reject('sendgrid', 'stale_timestamp', freshness.message);
      const json = parseJson('sendgrid', body);
      return json.ok ? { ok: true, kind: 'events', provider: 'sendgrid', body: json.value } : json;
    },
  };
}

function sendgridPublicKey(value: string): KeyObject {
  try {
    const key = value.includes('BEGIN PUBLIC KEY')
      ? crypto.createPublicKey(value)
      : crypto.createPublicKey({ key: Buffer.from(value.trim(), 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType === 'ec') return key;
  } catch {
    // reported below with the field name
  }
  throw invalid('sendgrid.publicKey', 'is not an ECDSA public key (base64 SPKI from Mail Settings, or PEM)');
}

function ecdsaValid(key: KeyObject, data: Buffer, signatureB64: string): boolean {
  try {
    return crypto.verify('sha256', data, { key, dsaEncoding: 'der' }, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false; // not DER at all
  }
}

function svixVerifier(config: { secret: string; toleranceSeconds?: number }, clock: Clock): WebhookVerifier {
  const key = Buffer.from(config.secret.trim().replace(/^whsec_/, ''), 'base64');
  if (key.length < 16) throw invalid('resend.secret', 'is not a signing secret (whsec_ followed by base64)');
  const tolerance = config.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  return {
    provider: 'resend',
    async verify(raw) {
      // Standard Webhooks renamed the svix- headers to webhook-; Svix sends either.
      const id = header(raw, 'svix-id') ?? header(raw, 'webhook-id');
      const timestamp = header(raw, 'svix-timestamp') ?? header(raw, 'webhook-timestamp');
      const signatures = header(raw, 'svix-signature') ?? header(raw, 'webhook-signature');
      if (!id) return reject('resend', 'missing_signature', 'svix-id header is missing');
      if (!timestamp) return reject('resend', 'missing_signature', 'svix-timestamp header is missing');
      if (!signatures) return reject('resend', 'missing_signature', 'svix-signature header is missing');
      const seconds = unixSeconds(timestamp);
      if (seconds === undefined) return reject('resend', 'malformed', 'svix-timestamp is not a Unix time');
      const body = bodyBytes(raw);
      const expected = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
      // Several space-separated signatures during a secret rotation: any v1 match is enough.
      const matches = signatures
        .split(' ')
        .filter((entry) => entry.startsWith('v1,'))
        .some((entry) => {
          const given = Buffer.from(entry.slice(3), 'base64');
          return given.length === expected.length && crypto.timingSafeEqual(given, expected);
        });
      if (!matches) return reject('resend', 'bad_signature', 'no v1 signature in svix-signature matches the body');
      const freshness = checkFreshness(seconds, clock, tolerance);
      if (!freshness.fresh) return reject('resend', 'stale_timestamp', freshness.message);
      const json = parseJson('resend', body);
      return json.ok ? { ok: true, kind: 'events', provider: 'resend', body: json.value, deliveryId: id } : json;
    },
  };
}

function mailgunVerifier(config: { signingKey: string; toleranceSeconds?: number }, clock: Clock): WebhookVerifier {
  if (!config.signingKey.trim()) throw invalid('mailgun.signingKey', 'is empty');
  const tolerance = config.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  return {
    provider: 'mailgun',
    async verify(raw) {
      const json = parseJson('mailgun', bodyBytes(raw));
      if (!json.ok) return json;
      const signature = (json.value as { signature?: Record<string, unknown> } | null)?.signature;
      for (const field of ['timestamp', 'token', 'signature'] as const) {
        if (typeof signature?.[field] !== 'string' || !signature[field]) return reject('mailgun', 'missing_signature', `signature.${field} is missing from the body`);
      }
      const { timestamp, token, signature: given } = signature as Record<'timestamp' | 'token' | 'signature', string>;
      const seconds = unixSeconds(timestamp);
      if (seconds === undefined) return reject('mailgun', 'malformed', 'signature.timestamp is not a Unix time');
      const expected = crypto.createHmac('sha256', config.signingKey).update(timestamp + token).digest('hex');
      if (!safeEqual(given.toLowerCase(), expected)) return reject('mailgun', 'bad_signature', 'signature.signature does not match timestamp + token');
      const freshness = checkFreshness(seconds, clock, tolerance);
      if (!freshness.fresh) return reject('mailgun', 'stale_timestamp', freshness.message);
      return { ok: true, kind: 'events', provider: 'mailgun', body: json.value };
    },
  };
}

function postmarkVerifier(config: { basicAuth?: { username: string; password: string }; header?: { name: string; value: string } }): WebhookVerifier {
  const { basicAuth, header: secretHeader } = config;
  if (!basicAuth && !secretHeader) throw invalid('postmark', 'set basic-auth credentials or a secret header: Postmark does not sign webhooks');
  if (basicAuth && (!basicAuth.username || !basicAuth.password)) throw invalid('postmark.basicAuth', 'needs a username and a password');
  if (secretHeader && (!secretHeader.name || !secretHeader.value)) throw invalid('postmark.header', 'needs a name and a value');
  const expectedAuthorization = basicAuth && `Basic ${Buffer.from(`${basicAuth.username}:${basicAuth.password}`).toString('base64')}`;
  return {
    provider: 'postmark',
    async verify(raw) {
      if (expectedAuthorization) {
        const given = header(raw, 'authorization');
        if (!given) return reject('postmark', 'bad_credentials', 'Authorization header is missing (put the credentials in the webhook URL)');
        if (!safeEqual(given, expectedAuthorization)) return reject('postmark', 'bad_credentials', 'Authorization header does not carry the configured credentials');
      }
      if (secretHeader) {
        const given = header(raw, secretHeader.name);
        if (!given) return reject('postmark', 'bad_credentials', `${secretHeader.name} header is missing`);
        if (!safeEqual(given, secretHeader.value)) return reject('postmark', 'bad_credentials', `${secretHeader.name} header does not match`);
      }
      const json = parseJson('postmark', bodyBytes(raw));
      return json.ok ? { ok: true, kind: 'events', provider: 'postmark', body: json.value } : json;
    },
  };
}

/** SNS allows up to an hour of retries; older messages are refused as replays. */
const SNS_MAX_AGE_SECONDS = 60 * 60;

function snsVerifier(config: { topicArns: string[]; maxAgeSeconds?: number }, deps: VerifierDeps): WebhookVerifier {
  if (config.topicArns.length === 0) throw invalid('ses.topicArns', 'list at least one SNS topic ARN to accept');
  const topics = new Set(config.topicArns);
  const certificate = snsCertificateCache(deps.fetchCertificate ?? fetchCertificatePem);
  const maxAge = config.maxAgeSeconds ?? SNS_MAX_AGE_SECONDS;
  return {
    provider: 'ses',
    async verify(raw): Promise<Verification> {
      const json = parseJson('ses', bodyBytes(raw));
      if (!json.ok) return json;
      const body = (json.value ?? {}) as Record<string, unknown>;
      for (const field of ['Signature', 'SignatureVersion', 'SigningCertURL']) {
        if (typeof body[field] !== 'string' || !body[field]) return reject('ses', 'missing_signature', `${field} is missing from the SNS message`);
      }
      const parsed = SnsEnvelope.safeParse(body);
      if (!parsed.success) {
        const issue = issuesFromZod(parsed.error.issues)[0];
        return reject('ses', 'malformed', `${issue.field}: ${issue.message}`);
      }
      const envelope = parsed.data;
      if (!topics.has(envelope.TopicArn)) return reject('ses', 'topic_not_allowed', `TopicArn ${envelope.TopicArn} is not one of the configured topics`);
      const digest = SNS_DIGESTS[envelope.SignatureVersion];
      if (!digest) return reject('ses', 'unsupported_signature_version', `SignatureVersion ${envelope.SignatureVersion} is not 1 or 2`);
      const urlProblem = snsUrlProblem(envelope.SigningCertURL, 'SigningCertURL');
      if (urlProblem) return reject('ses', 'untrusted_url', urlProblem);
      const freshness = checkFreshness(new Date(envelope.Timestamp), deps.clock, maxAge);
      if (!freshness.fresh) return reject('ses', 'stale_timestamp', freshness.message);

      let cert;
      try {
        cert = await certificate(envelope.SigningCertURL);
      } catch (err) {
        return reject('ses', 'certificate_unavailable', `the signing certificate could not be loaded: ${(err as Error).message}`);
      }
      const now = deps.clock.now().getTime();
      if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) {
        return reject('ses', 'certificate_unavailable', `the signing certificate is not valid now (valid ${cert.validFrom} to ${cert.validTo})`);
      }
      const valid = crypto.verify(digest, Buffer.from(snsStringToSign(envelope), 'utf8'), cert.publicKey, Buffer.from(envelope.Signature, 'base64'));
      if (!valid) return reject('ses', 'bad_signature', 'Signature does not match the message');

      if (envelope.Type === 'Notification') return { ok: true, kind: 'events', provider: 'ses', body: envelope };
      if (!envelope.SubscribeURL || !envelope.Token) return reject('ses', 'malformed', `${envelope.Type} without SubscribeURL or Token`);
      const subscribeProblem = snsUrlProblem(envelope.SubscribeURL, 'SubscribeURL');
      if (subscribeProblem) return reject('ses', 'untrusted_url', subscribeProblem);
      return {
        ok: true,
        kind: envelope.Type === 'SubscriptionConfirmation' ? 'subscription-confirmation' : 'unsubscribe-confirmation',
        provider: 'ses',
        topicArn: envelope.TopicArn,
        subscribeUrl: envelope.SubscribeURL,
        token: envelope.Token,
        messageId: envelope.MessageId,
      };
    },
  };
}
