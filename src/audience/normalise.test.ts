import { describe, expect, it } from 'vitest';
import { checkMx, classifyEmail, coerceField, normaliseContact, normaliseCountry, normaliseEmail, normaliseLanguage } from './normalise.ts';

const fields = new Map([
  ['plan', 'string'],
  ['score', 'number'],
  ['vip', 'boolean'],
  ['renews', 'date'],
] as const);

describe('normalise', () => {
  it('normalises emails and rejects bad syntax with the value in the message', () => {
    expect(normaliseEmail('  Ann@Example.COM ')).toEqual({ email: 'ann@example.com' });
    expect(normaliseEmail('Ann <ann@example.com>')).toEqual({ email: 'ann@example.com' });
    expect(normaliseEmail('ann@bücher.de')).toEqual({ email: 'ann@xn--bcher-kva.de' });
    for (const bad of ['ann', 'ann@', '@x.com', 'a b@x.com', 'ann@x', 'ann@@x.com', 'a..b@x.com', 'ann@x..com']) {
      const r = normaliseEmail(bad);
      expect(r, bad).toHaveProperty('error');
    }
    expect(normaliseEmail('')).toEqual({ error: 'is required' });
  });

  it('flags disposable domains and role addresses as risky', () => {
    expect(classifyEmail('x@mailinator.com')).toEqual({ validation: 'risky', reason: 'disposable domain' });
    expect(classifyEmail('info@acme.com')).toEqual({ validation: 'risky', reason: 'role address' });
    expect(classifyEmail('ann@acme.com')).toEqual({ validation: 'valid', reason: null });
  });

  it('marks a domain without MX invalid only through the injected resolver', async () => {
    expect(await checkMx('a@nomx.test', async () => [])).toEqual({ validation: 'invalid', reason: 'no MX record' });
    expect(await checkMx('a@ok.test', async () => [{ exchange: 'mx.ok.test' }])).toBeNull();
    expect(await checkMx('a@gone.test', async () => Promise.reject(Object.assign(new Error('x'), { code: 'ENOTFOUND' })))).toEqual({ validation: 'invalid', reason: 'no MX record' });
    expect(await checkMx('a@flaky.test', async () => Promise.reject(Object.assign(new Error('x'), { code: 'ETIMEOUT' })))).toBeNull();
  });

  it('accepts country codes and names, canonical language tags', () => {
    expect(normaliseCountry('de')).toBe('DE');
    expect(normaliseCountry('Germany')).toBe('DE');
    expect(normaliseCountry('USA')).toBe('US');
    expect(normaliseCountry('XX')).toBeNull();
    expect(normaliseLanguage('pt_br')).toBe('pt-BR');
    expect(normaliseLanguage('english')).toBeNull();
  });

  it('coerces typed custom fields and names the problem', () => {
    expect(coerceField('number', '42.5')).toEqual({ value: 42.5 });
    expect(coerceField('number', 'abc')).toEqual({ error: 'expected a number, got "abc"' });
    expect(coerceField('boolean', 'Yes')).toEqual({ value: true });
    expect(coerceField('boolean', 'maybe')).toHaveProperty('error');
    expect(coerceField('date', '2026-02-30')).toHaveProperty('error');
    expect(coerceField('date', '2026-02-28')).toEqual({ value: '2026-02-28' });
    expect(coerceField('string', '')).toEqual({ value: null });
  });

  it('returns every issue of a contact, each naming its field', () => {
    const r = normaliseContact(
      { email: 'nope', country: 'Atlantis', timeZone: 'Mars/Base', status: 'happy', fields: { score: 'high', unknown: 1 } },
      { fields },
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.field).sort()).toEqual(['country', 'email', 'fields.score', 'fields.unknown', 'status', 'timeZone']);
  });

  it('cleans a good contact', () => {
    const r = normaliseContact(
      { email: 'Ann@Example.com', firstName: ' Ann ', country: 'fr', language: 'FR', timeZone: 'europe/paris', status: 'Non Subscribed', fields: { vip: 'yes', renews: '2027-01-01' } },
      { fields },
    );
    expect(r.ok && r.contact).toMatchObject({ email: 'ann@example.com', first_name: 'Ann', country: 'FR', language: 'fr', time_zone: 'Europe/Paris', status: 'non-subscribed', attributes: { vip: true, renews: '2027-01-01' }, validation: 'valid' });
  });

  it('in partial mode only reports the fields given', () => {
    const r = normaliseContact({ firstName: 'Bo' }, { fields, partial: true });
    expect(r.ok && [...r.present]).toEqual(['firstName']);
  });
});
