import type { SESv2Client, SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { z } from 'zod';
import { kindForStatus, networkFailure } from './http.ts';
import { overLimit } from './limits.ts';
import {
  BaseUrl,
  TimeoutMs,
  accepted,
  asciiTag,
  failed,
  formatAddress,
  tagsOf,
  type Address,
  type EmailProvider,
  type OutboundMessage,
  type ProviderCapabilities,
  type ProviderDeps,
  type ProviderError,
  type ProviderErrorKind,
  type SendOptions,
  type SendOutcome,
} from './model.ts';

/**
 * Amazon SES v2 SendEmail (esp.md §2.1) through the AWS SDK, which brings SigV4 and the credential
 * chain. `Content.Raw` when the message comes as finished MIME (our DKIM signature stays intact),
 * otherwise `Content.Simple` with our headers (List-Unsubscribe…).
 */
export const SesSettings = z
  .strictObject({
    kind: z.literal('ses'),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1'),
    /** Without keys, the SDK's default chain is used (environment, shared config, instance or task role). */
    accessKeyId: z.string().trim().min(1, 'is required').optional(),
    secretAccessKey: z.string().trim().min(1, 'is required').optional(),
    sessionToken: z.string().trim().min(1).optional(),
    /** Routes SES events to their destinations; without it SES publishes none. */
    configurationSetName: z.string().trim().min(1).max(64).optional(),
    /** Overrides the regional endpoint (VPC endpoints, tests). */
    endpoint: BaseUrl.optional(),
    timeoutMs: TimeoutMs,
  })
  .superRefine((s, ctx) => {
    if (s.accessKeyId && !s.secretAccessKey) ctx.addIssue({ code: 'custom', path: ['secretAccessKey'], message: 'is required with accessKeyId' });
    if (s.secretAccessKey && !s.accessKeyId) ctx.addIssue({ code: 'custom', path: ['accessKeyId'], message: 'is required with secretAccessKey' });
  });
export type SesSettings = z.infer<typeof SesSettings>;

const CAPABILITIES: ProviderCapabilities = {
  maxRecipientsPerMessage: 50,
  maxMessagesPerBatch: 1,
  maxMessageBytes: 40 * 1024 * 1024,
  sendsRawMime: true,
  idempotency: { native: false },
  // The real rate is per account and region: GetAccount().SendQuota.MaxSendRate.
  rate: {},
};

/** SES exceptions by name; anything else falls back to its HTTP status. */
const KIND_BY_EXCEPTION: Record<string, ProviderErrorKind> = {
  TooManyRequestsException: 'rate_limited',
  ThrottlingException: 'rate_limited',
  Throttling: 'rate_limited',
  // A sending limit of the account (the daily quota) is reached: only time helps.
  LimitExceededException: 'quota_exhausted',
  MessageRejected: 'validation',
  BadRequestException: 'validation',
  NotFoundException: 'validation',
  MailFromDomainNotVerifiedException: 'auth',
  AccountSuspendedException: 'auth',
  SendingPausedException: 'auth',
  AccountSendingPausedException: 'auth',
  CredentialsProviderError: 'auth',
  UnrecognizedClientException: 'auth',
  InvalidClientTokenId: 'auth',
  SignatureDoesNotMatch: 'auth',
  AccessDeniedException: 'auth',
  ExpiredTokenException: 'auth',
};

/** What an operator must do about the account-level refusals, which SES words tersely. */
const EXPLANATION: Record<string, string> = {
  SendingPausedException: 'sending is paused for this SES account or its configuration set; resume it in SES',
  AccountSendingPausedException: 'sending is paused for this SES account; resume it in SES',
  AccountSuspendedException: 'SES has permanently restricted sending for this AWS account',
  MailFromDomainNotVerifiedException: 'the MAIL FROM domain is not verified in SES',
};

export class SesProvider implements EmailProvider {
  readonly id = 'ses' as const;
  readonly capabilities = CAPABILITIES;
  private client: Promise<{ client: SESv2Client; SendEmailCommand: typeof import('@aws-sdk/client-sesv2').SendEmailCommand }> | null = null;

  constructor(
    private readonly settings: SesSettings,
    private readonly deps: ProviderDeps,
  ) {}

  /** The AWS SDK (about 25 MB in memory) is loaded by the first send, not by every process that lists providers. */
  private sdk() {
    this.client ??= import('@aws-sdk/client-sesv2').then(({ SESv2Client, SendEmailCommand }) => {
      const { settings } = this;
      const client = new SESv2Client({
        region: settings.region,
        endpoint: settings.endpoint,
        credentials: settings.accessKeyId && settings.secretAccessKey ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey, sessionToken: settings.sessionToken } : undefined,
        // Retries are the dispatcher's, so its backoff and circuit breaker see every failure.
        maxAttempts: 1,
      });
      return { client, SendEmailCommand };
    });
    return this.client;
  }

  async send(msg: OutboundMessage, opts: SendOptions = {}): Promise<SendOutcome> {
    const refusal = overLimit(msg, this.capabilities, 'SES');
    if (refusal) return refusal;
    // The SDK's first load is not the provider's time to answer.
    const { client, SendEmailCommand } = await this.sdk();
    const deadline = AbortSignal.timeout(this.settings.timeoutMs);
    try {
      const out = await client.send(new SendEmailCommand(this.request(msg)), { abortSignal: opts.signal ? AbortSignal.any([deadline, opts.signal]) : deadline });
      return out.MessageId ? accepted(out.MessageId, this.deps.clock.now()) : failed({ kind: 'transient', message: 'SES answered without a MessageId', maybeDelivered: true });
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      return failed(sesFailure(err, deadline.aborted, this.settings.timeoutMs));
    }
  }

  async close(): Promise<void> {
    if (this.client) (await this.client).client.destroy();
  }

  private request(msg: OutboundMessage): SendEmailCommandInput {
    const common = {
      FromEmailAddress: sesAddress(msg.from),
      Destination: { ToAddresses: msg.to.map(sesAddress) },
      EmailTags: Object.entries(tagsOf(msg)).map(([Name, Value]) => ({ Name: asciiTag(Name), Value: asciiTag(Value) })),
      ConfigurationSetName: this.settings.configurationSetName,
    };
    if (msg.raw) return { ...common, Content: { Raw: { Data: msg.raw } } };
    return {
      ...common,
      ReplyToAddresses: msg.replyTo ? [sesAddress(msg.replyTo)] : undefined,
      Content: {
        Simple: {
          Subject: { Data: msg.subject, Charset: 'UTF-8' },
          Body: { Html: { Data: msg.html, Charset: 'UTF-8' }, Text: msg.text ? { Data: msg.text, Charset: 'UTF-8' } : undefined },
          Headers: Object.entries(msg.headers ?? {}).map(([Name, Value]) => ({ Name, Value })),
        },
      },
    };
  }
}

/** SES wants a non-ASCII display name as a MIME encoded-word. */
function sesAddress(a: Address): string {
  if (!a.name || /^[\x20-\x7e]*$/.test(a.name)) return formatAddress(a);
  return `=?UTF-8?B?${Buffer.from(a.name).toString('base64')}?= <${a.email}>`;
}

function sesFailure(err: unknown, timedOut: boolean, timeoutMs: number): ProviderError {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const known = KIND_BY_EXCEPTION[name];
  if (timedOut || (status === undefined && !known)) return networkFailure(err, timedOut, timeoutMs);
  const message = EXPLANATION[name] ? `${EXPLANATION[name]} (${name}: ${e.message})` : `${name}: ${e.message}`;
  const error: ProviderError = { kind: known ?? kindForStatus(status!), message, providerCode: name };
  if (status !== undefined) error.httpStatus = status;
  return error;
}
