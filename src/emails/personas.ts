import type { Contact } from '../audience/model.ts';
import type { Persona, RecipientData } from './model.ts';
import { recipientFromContact } from './render.ts';

/**
 * Sample recipients for previews, test sends and preflight: 'full' shows the email as a complete
 * contact sees it, 'missing' shows every `default:` fallback, and 'hostile' proves that whatever
 * a contact typed into a sign-up form comes out as text, never as markup or Liquid.
 */

const SAMPLE_EMAIL = 'ada.lovelace@example.com';

const SAMPLE_CONTACT = {
  email: SAMPLE_EMAIL,
  first_name: 'Ada',
  last_name: 'Lovelace',
  full_name: 'Ada Lovelace',
  country: 'GB',
  language: 'en',
  phone: '+44 20 7946 0958',
  time_zone: 'Europe/London',
};

const LONG = 'W'.repeat(300);
export const HOSTILE_VALUES = {
  first_name: '<script>alert(1)</script>',
  last_name: '"><img src=x onerror=alert(1)>',
  full_name: `{{ 7*7 }} {% raw %}<b>{% endraw %}`,
  country: '\u202eGB\u202c',
  language: `'; DROP TABLE contacts; --`,
  phone: LONG,
  time_zone: '\r\nBcc: victim@example.com',
  /** Used by URL merge tags such as href="{{ contact.website }}": must never become a live javascript: link. */
  website: 'javascript:alert(document.domain)',
};

export function sampleRecipient(contact: Contact | null, persona: Persona): RecipientData {
  switch (persona) {
    case 'full':
      return contact ? recipientFromContact(contact) : { email: SAMPLE_EMAIL, contact: { ...SAMPLE_CONTACT } };
    case 'missing':
      return { email: contact?.email ?? SAMPLE_EMAIL, contact: { email: contact?.email ?? SAMPLE_EMAIL } };
    case 'hostile': {
      // The brand's own custom fields get hostile values too, so merge tags for them are exercised.
      const custom = Object.fromEntries(Object.keys(contact?.fields ?? {}).map((key, i) => [key, i % 2 ? LONG : HOSTILE_VALUES.last_name]));
      return { email: SAMPLE_EMAIL, contact: { ...custom, ...HOSTILE_VALUES, email: `"<svg onload=alert(1)>"@example.com` } };
    }
  }
}
