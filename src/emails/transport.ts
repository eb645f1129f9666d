import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

/**
 * The smallest thing that hands a finished MIME message to a mail server. Test sends use it now;
 * the delivery providers (S9) replace it with richer ones later. The message is already encoded
 * (and DKIM-signed) by `toMime`, so a transport only moves bytes and never rewrites headers.
 */
export interface Envelope {
  from: string;
  to: string[];
}

export interface Transport {
  send(envelope: Envelope, raw: Buffer): Promise<{ response: string }>;
  close(): void;
}

/** SMTP to TIDINGS_SMTP_URL (smtp://user:pass@host:587, or smtps:// for implicit TLS). */
export class SmtpTransport implements Transport {
  private transporter: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(url: string) {
    this.transporter = nodemailer.createTransport(url);
  }

  async send(envelope: Envelope, raw: Buffer): Promise<{ response: string }> {
    const info = await this.transporter.sendMail({ envelope: { from: envelope.from, to: envelope.to }, raw });
    return { response: String(info.response ?? '') };
  }

  close(): void {
    this.transporter.close();
  }
}
