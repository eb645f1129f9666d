import type { Contact } from '../../../api.ts';

/** "Ada Lovelace", or null when the contact has no name (the email stands in). */
export function contactName(c: Pick<Contact, 'firstName' | 'lastName'>): string | null {
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ').trim();
  return name === '' ? null : name;
}
