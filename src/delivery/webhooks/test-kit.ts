import crypto, { type KeyObject } from 'node:crypto';
import { snsStringToSign, type SnsEnvelope } from './sns.ts';

/**
 * Test support only (no production code imports it): signs payloads the way each provider does, with
 * keys made on the spot (esp.md §6.3), so verification tests never depend on vendor secrets.
 */

/** SendGrid: an ECDSA P-256 key pair; the public half is published as base64 SPKI DER. */
export function sendgridKeys() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    sign(body: string, timestamp: string): Record<string, string> {
      const signature = crypto.sign('sha256', Buffer.from(timestamp + body), privateKey).toString('base64');
      return { 'X-Twilio-Email-Event-Webhook-Signature': signature, 'X-Twilio-Email-Event-Webhook-Timestamp': timestamp };
    },
  };
}

/** Svix/Resend: `whsec_` + base64 of random bytes. */
export const svixSecret = () => `whsec_${crypto.randomBytes(24).toString('base64')}`;

export function svixHeaders(secret: string, id: string, timestamp: string, body: string): Record<string, string> {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'svix-id': id, 'svix-timestamp': timestamp, 'svix-signature': `v1,${signature}` };
}

/** Mailgun: fills `signature.signature` for the payload's own timestamp and token. */
export function mailgunSigned<T extends { signature: { timestamp: string; token: string } }>(payload: T, signingKey: string): T {
  const { timestamp, token } = payload.signature;
  const signature = crypto.createHmac('sha256', signingKey).update(timestamp + token).digest('hex');
  return { ...payload, signature: { ...payload.signature, signature } };
}

// --- SNS: a self-signed RSA certificate (node:crypto parses X.509 but cannot issue it) -------------------

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * a + b];
  for (const value of rest) {
    const groups = [];
    let v = value;
    do {
      groups.unshift(v & 0x7f);
      v >>= 7;
    } while (v > 0);
    bytes.push(...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)));
  }
  return der(0x06, Buffer.from(bytes));
}

const utcTime = (d: Date) => der(0x17, Buffer.from(`${d.toISOString().slice(2, 19).replace(/[-:T]/g, '')}Z`));

/** A v1 X.509 certificate for `commonName`, signed by its own key with sha256WithRSAEncryption. */
export function selfSignedCertificate(keys: { publicKey: KeyObject; privateKey: KeyObject }, commonName: string, notBefore: Date, notAfter: Date): string {
  const algorithm = der(0x30, oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));
  const name = der(0x30, der(0x31, der(0x30, oid('2.5.4.3'), der(0x0c, Buffer.from(commonName)))));
  const spki = keys.publicKey.export({ type: 'spki', format: 'der' });
  const tbs = der(0x30, der(0x02, Buffer.from([0x01])), algorithm, name, der(0x30, utcTime(notBefore), utcTime(notAfter)), name, spki);
  const signature = crypto.sign('sha256', tbs, keys.privateKey);
  const cert = der(0x30, tbs, algorithm, der(0x03, Buffer.from([0x00]), signature));
  const lines = cert.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

export const SNS_CERT_URL = 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem';

/** Plays Amazon SNS: a key, its certificate served by an injected fetcher (which records what it was asked), a signer. */
export function snsSigner(validFrom: Date, validTo: Date) {
  const keys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certificate = selfSignedCertificate(keys, 'sns.amazonaws.com', validFrom, validTo);
  const fetched: string[] = [];
  return {
    fetched,
    fetchCertificate: async (url: string) => {
      fetched.push(url);
      if (url !== SNS_CERT_URL) throw new Error(`GET ${url} answered 404`);
      return certificate;
    },
    sign(fields: Omit<SnsEnvelope, 'Signature' | 'SignatureVersion' | 'SigningCertURL'>, version: '1' | '2' = '2', certUrl = SNS_CERT_URL): SnsEnvelope {
      const unsigned = { ...fields, SignatureVersion: version, SigningCertURL: certUrl, Signature: '' };
      const signature = crypto.sign(version === '1' ? 'sha1' : 'sha256', Buffer.from(snsStringToSign(unsigned)), keys.privateKey).toString('base64');
      return { ...unsigned, Signature: signature };
    },
  };
}
