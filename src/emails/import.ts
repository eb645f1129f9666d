import path from 'node:path';
import * as cheerio from 'cheerio';
import { parseMail } from '../shared/mail-parser.ts';
import { DomainError, invalid } from '../shared/errors.ts';
import { LIMITS, type ImportFormat } from './model.ts';

/**
 * HTML, MJML and .eml files → the fields of a new email (S3.1). The source is kept as given: the
 * renderer compiles it and preflight reports what mail clients would do with it, so import only
 * extracts what the file says about itself (title, preview text, subject). Every input here is
 * untrusted; the parsers used are lenient, so broken or hostile markup is read, never thrown on.
 */

export interface ImportedEmail {
  name: string;
  subject: string;
  preheader: string;
  format: 'html' | 'mjml';
  source: string;
}

const EXTENSIONS: Record<string, ImportFormat> = { '.html': 'html', '.htm': 'html', '.mjml': 'mjml', '.eml': 'eml' };

/** The format a file's extension announces. */
export function importFormatOf(fileName: string, field = 'file'): ImportFormat {
  const format = EXTENSIONS[path.extname(fileName).toLowerCase()];
  if (!format) throw invalid(field, `"${fileName}" is not an .html, .htm, .mjml or .eml file`);
  return format;
}

export function tooLarge(field: string, bytes?: number): DomainError {
  const limit = `${LIMITS.sourceBytes / 1024 / 1024} MB`;
  const message = bytes === undefined ? `is larger than ${limit}, the limit for an imported email` : `is ${(bytes / 1024 / 1024).toFixed(1)} MB; an imported email may be at most ${limit}`;
  return new DomainError('payload_too_large', `${field}: ${message}`, { issues: [{ field, message }] });
}

export function assertImportSize(content: string | Buffer, field: string): void {
  const bytes = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  if (bytes > LIMITS.sourceBytes) throw tooLarge(field, bytes);
}

/** Reads an import; `field` names the input in errors ("content" for JSON, "file" for uploads). */
export async function readImport(format: ImportFormat, content: string | Buffer, field: string): Promise<ImportedEmail> {
  assertImportSize(content, field);
  const text = typeof content === 'string' ? content : content.toString('utf8');
  if (format !== 'eml' && text.trim() === '') throw invalid(field, 'is empty');
  if (format === 'html') return fromHtml(text);
  if (format === 'mjml') return fromMjml(text);
  return fromEml(content, field);
}

function fromHtml(source: string): ImportedEmail {
  const head = throughFirst(source, /<\/title\s*>/i);
  const title = head === null ? '' : oneLine(cheerio.load(head)('title').first().text());
  return { name: title, subject: title, preheader: '', format: 'html', source };
}

function fromMjml(source: string): ImportedEmail {
  const head = throughFirst(source, /<\/mj-head\s*>/i);
  const $ = cheerio.load(head ?? '', { xml: true });
  const title = oneLine($('mj-title').first().text());
  return { name: title, subject: title, preheader: oneLine($('mj-preview').first().text()), format: 'mjml', source };
}

/**
 * The source up to the end of the first `closing` tag, or null without one. Titles and previews
 * live in the head, so only that part is parsed: a DOM of a 5 MB body would cost seconds.
 */
function throughFirst(source: string, closing: RegExp): string | null {
  const m = closing.exec(source);
  return m ? source.slice(0, m.index + m[0].length) : null;
}

async function fromEml(content: string | Buffer, field: string): Promise<ImportedEmail> {
  // Default options replace cid: references with data: URLs, so inline images survive the import.
  const mail = await parseMail(content);
  const html = mail.html || (mail.textAsHtml ? wrapText(mail.textAsHtml, mail.subject ?? '') : null);
  if (!html) throw invalid(field, 'the message has no HTML or text part');
  const subject = oneLine(mail.subject ?? '');
  return { name: subject, subject, preheader: '', format: 'html', source: html };
}

/** A text-only message as a minimal HTML document (mailparser has already escaped and linked the text). */
function wrapText(textAsHtml: string, subject: string): string {
  return `<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(subject)}</title>\n</head>\n<body>\n${textAsHtml}\n</body>\n</html>\n`;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
