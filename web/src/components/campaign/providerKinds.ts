/**
 * The fields of each provider kind's settings, for the add/edit form. Names and defaults follow
 * the adapters' schemas in src/delivery/providers/*.ts; a dotted name ("streams.marketing") is a
 * nested field. Secrets are write-only: the API says whether one is set, never what it is.
 */
export type EditableKind = 'smtp' | 'ses' | 'resend' | 'sendgrid' | 'mailgun' | 'postmark';

export interface KindField {
  name: string;
  label: string;
  type: 'text' | 'number' | 'secret' | 'select' | 'lines';
  required?: boolean;
  placeholder?: string;
  description?: string;
  options?: { value: string; label: string }[];
  defaultValue?: string;
}

export const PROVIDER_KIND_LABELS: Record<string, string> = {
  capture: 'Capture inbox',
  smtp: 'SMTP',
  ses: 'Amazon SES',
  resend: 'Resend',
  sendgrid: 'SendGrid',
  mailgun: 'Mailgun',
  postmark: 'Postmark',
};

export const KIND_FIELDS: Record<EditableKind, KindField[]> = {
  smtp: [
    { name: 'host', label: 'Host', type: 'text', required: true, placeholder: 'smtp.example.com' },
    { name: 'port', label: 'Port', type: 'number', defaultValue: '587' },
    {
      name: 'tls',
      label: 'Encryption',
      type: 'select',
      defaultValue: 'starttls',
      options: [
        { value: 'starttls', label: 'STARTTLS (port 587)' },
        { value: 'implicit', label: 'TLS from the start (port 465)' },
        { value: 'opportunistic', label: 'Upgrade when offered' },
        { value: 'none', label: 'None (trusted local relay only)' },
      ],
    },
    { name: 'username', label: 'Username', type: 'text' },
    { name: 'password', label: 'Password', type: 'secret' },
    { name: 'maxConnections', label: 'Connections', type: 'number', defaultValue: '5', description: 'Parallel connections to the server' },
    { name: 'rateLimitPerSecond', label: 'Messages per second', type: 'number', description: 'Leave empty for no limit' },
  ],
  ses: [
    { name: 'region', label: 'AWS region', type: 'text', required: true, placeholder: 'eu-west-1' },
    { name: 'accessKeyId', label: 'Access key ID', type: 'text', description: 'Leave both keys empty to use the server’s AWS credentials (environment or role)' },
    { name: 'secretAccessKey', label: 'Secret access key', type: 'secret' },
    { name: 'configurationSetName', label: 'Configuration set', type: 'text', description: 'Needed for SES to publish delivery, bounce and complaint events' },
  ],
  resend: [{ name: 'apiKey', label: 'API key', type: 'secret', required: true, placeholder: 're_…' }],
  sendgrid: [
    { name: 'apiKey', label: 'API key', type: 'secret', required: true, placeholder: 'SG.…' },
    { name: 'baseUrl', label: 'API host', type: 'text', placeholder: 'https://api.sendgrid.com', description: 'EU subusers: https://api.eu.sendgrid.com' },
  ],
  mailgun: [
    { name: 'apiKey', label: 'API key', type: 'secret', required: true },
    { name: 'domain', label: 'Sending domain', type: 'text', required: true, placeholder: 'mg.example.com' },
    {
      name: 'region',
      label: 'Region',
      type: 'select',
      defaultValue: 'us',
      options: [
        { value: 'us', label: 'US' },
        { value: 'eu', label: 'EU' },
      ],
    },
  ],
  postmark: [
    { name: 'serverToken', label: 'Server token', type: 'secret', required: true },
    { name: 'streams.marketing', label: 'Broadcast stream', type: 'text', defaultValue: 'broadcast', description: 'Postmark requires marketing mail on a broadcast stream' },
  ],
};

/**
 * How each provider's event webhooks are verified (src/delivery/settings/model.ts WEBHOOK_SCHEMAS).
 * Without these the provider's delivery, bounce and complaint events cannot be trusted and are refused.
 */
export const WEBHOOK_FIELDS: Record<EditableKind, KindField[]> = {
  smtp: [],
  ses: [{ name: 'topicArns', label: 'SNS topic ARNs', type: 'lines', placeholder: 'arn:aws:sns:eu-west-1:123456789012:tidings-events', description: 'One per line: notifications from other topics are refused' }],
  resend: [{ name: 'secret', label: 'Signing secret', type: 'secret', placeholder: 'whsec_…' }],
  sendgrid: [{ name: 'publicKey', label: 'Verification key', type: 'text', description: 'The public key of SendGrid’s Signed Event Webhook' }],
  mailgun: [{ name: 'signingKey', label: 'HTTP webhook signing key', type: 'secret' }],
  postmark: [
    { name: 'basicAuth.username', label: 'Basic auth user', type: 'text', description: 'Postmark signs nothing: set a user and password, or a secret header, on the webhook' },
    { name: 'basicAuth.password', label: 'Basic auth password', type: 'secret' },
    { name: 'header.name', label: 'Secret header name', type: 'text', placeholder: 'X-Webhook-Secret' },
    { name: 'header.value', label: 'Secret header value', type: 'secret' },
  ],
};

export const EDITABLE_KINDS = Object.keys(KIND_FIELDS) as EditableKind[];

/** Reads a (possibly dotted) field out of stored settings as a form string. */
export function fieldValue(settings: Record<string, unknown> | null, name: string): string {
  const v = name.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), settings);
  if (Array.isArray(v)) return v.join('\n');
  return v === undefined || v === null ? '' : String(v);
}

function setPath(target: Record<string, unknown>, name: string, value: unknown) {
  const path = name.split('.');
  let at = target;
  for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
  at[path[path.length - 1]] = value;
}

/**
 * Form strings back to an object: numbers parsed, lines split, dotted names nested. On a new account
 * empty fields are left out. On an edit the object is a JSON merge patch (what the API takes): an
 * empty secret is left out, which keeps the stored one, and a field that was set and is now empty
 * becomes null, which removes it.
 */
export function formToObject(fields: KindField[], values: Record<string, string>, stored: Record<string, unknown> | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = (values[f.name] ?? '').trim();
    if (raw === '') {
      if (stored && f.type !== 'secret' && fieldValue(stored, f.name) !== '') setPath(out, f.name, null);
      continue;
    }
    const value =
      f.type === 'number' && /^-?\d+(\.\d+)?$/.test(raw)
        ? Number(raw)
        : f.type === 'lines'
          ? raw
              .split(/\s*\n\s*/)
              .map((l) => l.trim())
              .filter(Boolean)
          : raw;
    setPath(out, f.name, value);
  }
  return out;
}
