import crypto from 'node:crypto';
import { DomainError } from '../../shared/errors.ts';

/**
 * Secrets at rest (provider API keys, webhook signing keys, DKIM private keys): AES-256-GCM with a key
 * derived by HKDF-SHA256 from the app secret, one key per purpose so a value sealed for one use can
 * never be opened as another. Each value is bound to its row (the `context`, e.g. the account id) as
 * additional authenticated data, so a sealed value copied into another row, or another brand's row,
 * fails to open instead of being used.
 *
 * Format: `v1.<iv>.<tag>.<ciphertext>`, base64url parts; the version leaves room for key rotation.
 */
export type SealPurpose = 'provider-settings' | 'provider-webhook' | 'dkim-private-key' | 'capture-stamp';

export function deriveKey(secret: string, purpose: SealPurpose): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', secret, 'tidings', `tidings ${purpose} v1`, 32));
}

export class Sealer {
  private readonly key: Buffer;

  constructor(secret: string, purpose: SealPurpose) {
    this.key = deriveKey(secret, purpose);
  }

  seal(plaintext: string, context: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  /** `what` names the value in the error, e.g. "the settings of provider account prv_…". */
  open(sealed: string, context: string, what: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    try {
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed value');
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      // The usual cause is a changed TIDINGS_SECRET (or a lost data dir in embedded mode); say so.
      throw new DomainError('internal', `${what} cannot be decrypted: was TIDINGS_SECRET changed since it was saved? Enter the secrets again.`);
    }
  }
}
