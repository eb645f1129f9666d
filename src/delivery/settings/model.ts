import { z } from 'zod';
import type { EmailProvider, ProviderKind } from '../providers/model.ts';
import { Secret } from '../providers/model.ts';
import type { WebhookProvider } from '../webhooks/model.ts';

/**
 * Provider accounts (S9.1): a brand's named sending accounts, each one provider kind with its settings
 * (validated by the provider registry) and, for providers that post events back, the secrets that
 * verify those webhooks (S9.2). Secrets are sealed at rest and never leave the API: responses carry the
 * other fields plus a `secrets` map saying which secret fields are set.
 *
 * The built-in capture inbox is always there, under the id `capture`; it is the default until the brand
 * marks one of its accounts as default.
 */

export const CAPTURE_ID = 'capture';

/** Kinds a brand can add; `capture` is built in. */
export const ACCOUNT_KINDS = ['smtp', 'ses', 'resend', 'sendgrid', 'mailgun', 'postmark'] as const satisfies readonly ProviderKind[];
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** Dotted paths of the settings fields that are secrets, per kind. */
export const SETTINGS_SECRETS: Readonly<Record<AccountKind, readonly string[]>> = {
  smtp: ['password', 'dkim.privateKey'],
  ses: ['secretAccessKey', 'sessionToken'],
  resend: ['apiKey'],
  sendgrid: ['apiKey'],
  mailgun: ['apiKey'],
  postmark: ['serverToken'],
};

const headerName = z.string().trim().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name such as X-Webhook-Secret');

/**
 * How each provider's webhooks are verified (esp.md §3): SendGrid's ECDSA public key, Resend's Svix
 * `whsec_` secret, Mailgun's HTTP webhook signing key, Postmark's basic auth and/or secret header (it
 * signs nothing), and for SES the SNS topics whose signed notifications are accepted.
 */
export const WEBHOOK_SCHEMAS = {
  ses: z.strictObject({
    topicArns: z
      .array(z.string().trim().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$/, 'must be an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:tidings-events'))
      .min(1, 'list at least one SNS topic ARN'),
  }),
  resend: z.strictObject({ secret: Secret }),
  sendgrid: z.strictObject({ publicKey: Secret }),
  mailgun: z.strictObject({ signingKey: Secret }),
  postmark: z
    .strictObject({
      basicAuth: z.strictObject({ username: Secret, password: Secret }).optional(),
      header: z.strictObject({ name: headerName, value: Secret }).optional(),
    })
    .refine((w) => w.basicAuth || w.header, 'set basicAuth and/or header: Postmark does not sign webhooks, so one of them must authenticate it'),
} satisfies Record<WebhookProvider, z.ZodType>;
export type WebhookSettings = { [K in WebhookProvider]: z.infer<(typeof WEBHOOK_SCHEMAS)[K]> };

export const WEBHOOK_SECRETS: Readonly<Record<WebhookProvider, readonly string[]>> = {
  ses: [],
  resend: ['secret'],
  sendgrid: [],
  mailgun: ['signingKey'],
  postmark: ['basicAuth.password', 'header.value'],
};

export const hasWebhooks = (kind: string): kind is WebhookProvider => kind in WEBHOOK_SCHEMAS;

export const AccountInput = z.object({
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  settings: z.record(z.string(), z.unknown(), { error: 'must be an object with a "kind" field' }),
  webhook: z.record(z.string(), z.unknown(), { error: 'must be an object' }).nullish(),
  isDefault: z.boolean().optional(),
});
export type AccountInput = z.input<typeof AccountInput>;

/**
 * PATCH: `settings` and `webhook` are JSON merge patches (RFC 7396) over the stored values: omitted
 * fields, secrets included, stay as they are; `null` removes a field. A different `settings.kind`
 * replaces the settings whole.
 */
export const AccountPatch = z.object({
  name: AccountInput.shape.name.optional(),
  settings: AccountInput.shape.settings.optional(),
  webhook: AccountInput.shape.webhook,
  isDefault: z.boolean().optional(),
});
export type AccountPatch = z.input<typeof AccountPatch>;

export const TestSendInput = z.object({ to: z.email('must be an email address') });

/** A provider account as the API shows it: secrets are left out, `secrets` says which are set. */
export interface ProviderAccount {
  id: string;
  name: string;
  kind: ProviderKind;
  settings: Record<string, unknown>;
  secrets: Record<string, boolean>;
  /** Webhook verification settings without their secrets; null when none are set (or the kind has no webhooks). */
  webhook: Record<string, unknown> | null;
  webhookSecrets: Record<string, boolean>;
  /** Where to point the provider's event webhook; null for kinds that post no events. */
  webhookUrl: string | null;
  isDefault: boolean;
  /** The capture inbox: always present, cannot be changed or deleted. */
  builtIn: boolean;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface ResolvedProvider {
  /** The account id, or 'capture'. */
  id: string;
  kind: ProviderKind;
  provider: EmailProvider;
}

// ---- plain-object helpers over dotted paths --------------------------------------------------------

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function getPath(obj: Obj, path: string): unknown {
  return path.split('.').reduce<unknown>((at, key) => (isObject(at) ? at[key] : undefined), obj);
}

function withoutPath(obj: Obj, path: string): Obj {
  const [head, ...rest] = path.split('.');
  if (!(head in obj)) return obj;
  const copy = { ...obj };
  if (rest.length === 0) delete copy[head];
  else if (isObject(copy[head])) copy[head] = withoutPath(copy[head], rest.join('.'));
  return copy;
}

/** The object without its secret fields, and which of those fields are set. */
export function maskSecrets(obj: Obj, paths: readonly string[]): { visible: Obj; secrets: Record<string, boolean> } {
  const secrets = Object.fromEntries(paths.map((p) => [p, getPath(obj, p) !== undefined]));
  return { visible: paths.reduce(withoutPath, obj), secrets };
}

/** RFC 7396 JSON merge patch: objects merge key by key, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Obj = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}
