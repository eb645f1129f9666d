import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/errors.ts';
import { importFormatOf, readImport } from './import.ts';
import { LIMITS } from './model.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures/emails');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

async function failure(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

describe('reading imported files', () => {
  it('takes name and subject from an HTML title and keeps the source as given', async () => {
    const html = fixture('welcome.html').toString();
    expect(await readImport('html', html, 'file')).toEqual({ name: 'Welcome to Acme Coffee', subject: 'Welcome to Acme Coffee', preheader: '', format: 'html', source: html });
  });

  it('takes subject and preheader from mj-title and mj-preview', async () => {
    const mjml = fixture('spring.mjml');
    expect(await readImport('mjml', mjml, 'file')).toMatchObject({ subject: 'Spring roast is here', preheader: 'Bright, floral, limited', format: 'mjml', source: mjml.toString() });
  });

  it('imports the HTML part of an .eml with its decoded subject', async () => {
    const imported = await readImport('eml', fixture('newsletter.eml'), 'file');
    expect(imported).toMatchObject({ name: 'Café news for May', subject: 'Café news for May', format: 'html' });
    expect(imported.source).toContain('<h1>Café news</h1>');
  });

  it('wraps the text part of a text-only .eml in HTML, decoding its charset and escaping the subject', async () => {
    const imported = await readImport('eml', fixture('plain.eml'), 'file');
    expect(imported.subject).toBe('Plain update');
    expect(imported.source).toMatch(/^<!doctype html>/);
    expect(imported.source).toContain('<title>Plain update</title>');
    expect(imported.source).toContain('Gr&uuml;&szlig;e from the roastery &lt;3');
    expect(imported.source).toContain('href="https://acme.test/roastery"');
  });

  it('reads hostile and broken markup without throwing, keeping it for preflight to judge', async () => {
    const hostile = fixture('hostile.html').toString();
    const imported = await readImport('html', hostile, 'file');
    expect(imported.subject).toBe('Click <b>me</b>');
    expect(imported.source).toBe(hostile);
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    await expect(readImport('html', garbage, 'file')).resolves.toMatchObject({ format: 'html' });
    await expect(readImport('mjml', '<mjml><mj-body><mj-title>', 'content')).resolves.toMatchObject({ subject: '' });
    expect((await failure(readImport('eml', garbage, 'file'))).message).toBe('file: the message has no HTML or text part');
  });

  it('reads a 5 MB HTML file (just under the limit) and refuses one byte more', async () => {
    const head = '<html><head><title>Big</title></head><body>';
    const tail = '</body></html>';
    const filler = '<p>lorem ipsum</p>'.repeat(Math.ceil(LIMITS.sourceBytes / 18));
    const atLimit = head + filler.slice(0, LIMITS.sourceBytes - head.length - tail.length) + tail;
    expect(Buffer.byteLength(atLimit)).toBe(LIMITS.sourceBytes);
    expect((await readImport('html', atLimit, 'content')).subject).toBe('Big');

    const err = await failure(readImport('html', atLimit + ' ', 'content'));
    expect(err.code).toBe('payload_too_large');
    expect(err.message).toBe('content: is 5.0 MB; an imported email may be at most 5 MB');
  });

  it('names the problem: empty file, .eml without a body, unknown extension', async () => {
    expect((await failure(readImport('html', '  \n', 'file'))).message).toBe('file: is empty');
    const noBody = 'Subject: nothing\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n';
    expect((await failure(readImport('eml', noBody, 'content'))).message).toBe('content: the message has no HTML or text part');
    expect(importFormatOf('News.HTM')).toBe('html');
    expect(importFormatOf('a.eml')).toBe('eml');
    expect(() => importFormatOf('report.pdf')).toThrow('file: "report.pdf" is not an .html, .htm, .mjml or .eml file');
  });
});
