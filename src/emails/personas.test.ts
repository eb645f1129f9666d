import { describe, expect, it } from 'vitest';
import type { Contact } from '../audience/model.ts';
import { HOSTILE_VALUES, sampleRecipient } from './personas.ts';

const CONTACT: Contact = {
  id: 'ctc_1',
  email: 'grace@example.com',
  firstName: 'Grace',
  lastName: 'Hopper',
  phone: '+1 555 0100',
  country: 'US',
  language: 'en',
  timeZone: 'America/New_York',
  status: 'subscribed',
  consentSource: null,
  consentAt: null,
  validation: 'valid',
  validationReason: null,
  fields: { plan: 'team', seats: 12 },
  tags: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('sampleRecipient', () => {
  it("'full' is the chosen contact's data, or a complete sample contact", () => {
    expect(sampleRecipient(CONTACT, 'full')).toMatchObject({ contactId: 'ctc_1', email: 'grace@example.com', contact: { first_name: 'Grace', full_name: 'Grace Hopper', plan: 'team', seats: 12 } });
    const sample = sampleRecipient(null, 'full');
    expect(sample.contactId).toBeUndefined();
    for (const field of ['email', 'first_name', 'last_name', 'full_name', 'country', 'language', 'phone']) expect(sample.contact[field], field).toBeTruthy();
  });

  it("'missing' has only an email address, so every default: fallback shows", () => {
    expect(sampleRecipient(CONTACT, 'missing')).toEqual({ email: 'grace@example.com', contact: { email: 'grace@example.com' } });
  });

  it("'hostile' fills standard and custom fields with markup, Liquid, bidi overrides and long strings", () => {
    const r = sampleRecipient(CONTACT, 'hostile');
    expect(r.contactId).toBeUndefined(); // never acts on a real contact
    expect(r.contact).toMatchObject(HOSTILE_VALUES);
    expect(Object.values(HOSTILE_VALUES).join(' ')).toMatch(/<script>.*onerror=.*\{\{ 7\*7 \}\}.*\u202e/s);
    expect(String(r.contact.phone)).toHaveLength(300);
    expect(r.contact.plan).toBe(HOSTILE_VALUES.last_name);
    expect(String(r.contact.seats)).toHaveLength(300);
    expect(r.email).toMatch(/^[^<>"\s]+@example\.com$/); // still a deliverable sample address
  });
});
