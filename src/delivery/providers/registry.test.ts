import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/errors.ts';
import { ManualClock } from '../../shared/clock.ts';
import { createProvider, parseProviderSettings } from './registry.ts';

const deps = { clock: new ManualClock() };

/** The issues a validation error carries, as `field: message`. */
function issues(input: unknown): string[] {
  try {
    parseProviderSettings(input);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('validation_failed');
    return ((err as DomainError).details as { issues: Array<{ field: string; message: string }> }).issues.map((i) => `${i.field}: ${i.message}`);
  }
  throw new Error('expected the settings to be refused');
}

describe('provider registry', () => {
  it.each([
    [{ kind: 'smtp', host: 'smtp.acme.test', username: 'u', password: 'p' }, 'smtp', 1],
    [{ kind: 'ses', region: 'eu-west-1' }, 'ses', 1],
    [{ kind: 'resend', apiKey: 're_x' }, 'resend', 100],
    [{ kind: 'sendgrid', apiKey: 'SG.x' }, 'sendgrid', 1],
    [{ kind: 'mailgun', apiKey: 'key', domain: 'mg.acme.test', region: 'eu' }, 'mailgun', 1],
    [{ kind: 'postmark', serverToken: 'pm' }, 'postmark', 500],
    [{ kind: 'capture', port: 2525 }, 'capture', 1],
  ])('builds %j', async (settings, id, batch) => {
    const provider = createProvider(settings, deps);
    expect(provider.id).toBe(id);
    expect(provider.capabilities.maxMessagesPerBatch).toBe(batch);
    expect(typeof provider.sendBatch === 'function').toBe(batch > 1);
    await provider.close();
  });

  it('fills documented defaults', () => {
    expect(parseProviderSettings({ kind: 'smtp', host: 'smtp.acme.test' })).toMatchObject({ port: 587, tls: 'starttls', rejectUnauthorized: true, maxConnections: 5, timeoutMs: 30_000 });
    expect(parseProviderSettings({ kind: 'postmark', serverToken: 'pm' })).toMatchObject({ baseUrl: 'https://api.postmarkapp.com', streams: { marketing: 'broadcast', transactional: 'outbound' } });
  });

  it('names each bad field, under the prefix', () => {
    expect(issues({ kind: 'sparkpost' })).toEqual(['provider.kind: must be one of smtp, ses, resend, sendgrid, mailgun, postmark, capture']);
    expect(issues('resend')).toEqual(['provider: must be an object with a "kind" field']);
    expect(issues({ kind: 'resend' })).toEqual(['provider.apiKey: is required']);
    expect(issues({ kind: 'resend', apiKey: 're_x', baseurl: 'https://x' })).toEqual(['provider: unknown field "baseurl"']);
    expect(issues({ kind: 'resend', apiKey: 're_x', baseUrl: 'ftp://x' })).toEqual(['provider.baseUrl: must be an http(s) URL']);
    expect(issues({ kind: 'smtp', host: 'h', username: 'u', maxConnections: 0 })).toEqual(['provider.maxConnections: Too small: expected number to be >=1', 'provider.password: is required with username']);
    expect(issues({ kind: 'ses', region: 'Ireland', accessKeyId: 'AKIA' })).toEqual(['provider.region: must be an AWS region such as eu-west-1', 'provider.secretAccessKey: is required with accessKeyId']);
    expect(issues({ kind: 'mailgun', apiKey: 'k', domain: 'acme', region: 'asia' })).toEqual([
      'provider.domain: must be the sending domain as set up in Mailgun, e.g. mg.example.com',
      'provider.region: Invalid option: expected one of "us"|"eu"',
    ]);
    expect(issues({ kind: 'smtp', host: 'h', dkim: { domain: 'acme.test', selector: 's1', privateKey: 'not a key' } })).toEqual(['provider.dkim.privateKey: must be a PEM private key']);
  });

  it('never echoes a secret in its messages', () => {
    const messages = issues({ kind: 'smtp', host: 'h', password: 'hunter2-secret', timeoutMs: 5 }).join('\n');
    expect(messages).not.toContain('hunter2-secret');
  });
});
