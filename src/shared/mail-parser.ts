import type { ParsedMail, SimpleParserOptions } from 'mailparser';

/** mailparser takes about 10 MB once loaded, so it loads with the first message a process reads: many never read one. */
export async function parseMail(source: Buffer | string, options: SimpleParserOptions = {}): Promise<ParsedMail> {
  const { simpleParser } = await import('mailparser');
  return simpleParser(source, options);
}
