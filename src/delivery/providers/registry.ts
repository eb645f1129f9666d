import { z } from 'zod';
import { issuesFromZod, validationError } from '../../shared/errors.ts';
import { CaptureSettings, captureProvider } from './capture.ts';
import { MailgunProvider, MailgunSettings } from './mailgun.ts';
import { PROVIDER_KINDS, type EmailProvider, type ProviderDeps } from './model.ts';
import { PostmarkProvider, PostmarkSettings } from './postmark.ts';
import { ResendProvider, ResendSettings } from './resend.ts';
import { SendgridProvider, SendgridSettings } from './sendgrid.ts';
import { SesProvider, SesSettings } from './ses.ts';
import { SmtpProvider, SmtpSettings } from './smtp.ts';

/**
 * Provider settings as a brand, campaign or series step stores them (S9.1): one object with a `kind`
 * and that provider's fields. Validated here, with errors that name the field ("provider.apiKey: is
 * required"), before any provider is built; unknown fields are refused so a typo never passes silently.
 */
export const ProviderSettings = z.discriminatedUnion('kind', [SmtpSettings, SesSettings, ResendSettings, SendgridSettings, MailgunSettings, PostmarkSettings, CaptureSettings], {
  error: (iss) => {
    if (iss.code === 'invalid_union') return `must be one of ${PROVIDER_KINDS.join(', ')}`;
    if (iss.code === 'invalid_type') return 'must be an object with a "kind" field';
    return undefined;
  },
});
export type ProviderSettings = z.infer<typeof ProviderSettings>;
export type ProviderSettingsInput = z.input<typeof ProviderSettings>;

/** Plain words for the two mistakes people make most: a missing field and a misspelt one. */
const plainWords: z.core.$ZodErrorMap = (iss) => {
  if (iss.code === 'invalid_type' && iss.input === undefined) return 'is required';
  if (iss.code === 'unrecognized_keys') return `unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')}`;
  return undefined;
};

/** Parses settings or throws a validation DomainError listing every bad field under `prefix`. */
export function parseProviderSettings(input: unknown, prefix = 'provider'): ProviderSettings {
  const r = ProviderSettings.safeParse(input, { error: plainWords });
  if (!r.success) throw validationError(issuesFromZod(r.error.issues, prefix));
  return r.data;
}

export function createProvider(input: unknown, deps: ProviderDeps): EmailProvider {
  const settings = parseProviderSettings(input);
  switch (settings.kind) {
    case 'smtp':
      return new SmtpProvider(settings, deps);
    case 'ses':
      return new SesProvider(settings, deps);
    case 'resend':
      return new ResendProvider(settings, deps);
    case 'sendgrid':
      return new SendgridProvider(settings, deps);
    case 'mailgun':
      return new MailgunProvider(settings, deps);
    case 'postmark':
      return new PostmarkProvider(settings, deps);
    case 'capture':
      return captureProvider(settings, deps);
  }
}
