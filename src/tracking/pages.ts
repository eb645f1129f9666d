import type { PreferencesView } from './model.ts';

/**
 * The small pages recipients land on from an email (unsubscribe, preferences, a dead link). They
 * are plain server-rendered HTML with inline styles: no script, no cookies, nothing fetched from
 * elsewhere, every value escaped. Forms post back to the page's own URL, whose token is the
 * authority (RFC 8058 one-click needs exactly that: no session, no CSRF token).
 */

/** The transparent 1×1 GIF of the open pixel (43 bytes). */
export const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** For our own pages: no script, no framing, forms only to ourselves. */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** For an email shown in the browser: sandboxed (no script, no forms, opaque origin), only images over https. */
export const VIEW_CSP = "sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'";

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITY[c]);

/** a•••@example.com: enough for the recipient to recognise, not enough to harvest from a forwarded link. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${email[0]}•••${email.slice(at)}`;
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title>
<style>
body{margin:0;background:#f4f5f7;color:#1f2328;font:16px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
main{max-width:30rem;margin:3rem auto;background:#fff;border:1px solid #e3e5e8;border-radius:12px;padding:2rem}
h1{font-size:1.35rem;margin:0 0 1rem}p{margin:0 0 1rem}.muted{color:#656d76;font-size:.9rem}
button{font:inherit;border:0;border-radius:8px;padding:.6rem 1.1rem;cursor:pointer;background:#1f6feb;color:#fff}
button.secondary{background:#eef0f3;color:#1f2328}button.danger{background:#cf222e}
label{display:flex;gap:.6rem;align-items:flex-start;padding:.6rem 0;border-top:1px solid #eef0f3}
label small{display:block;color:#656d76}.actions{display:flex;gap:.6rem;flex-wrap:wrap;margin-top:1.25rem}
.notice{background:#ddf4e4;border-radius:8px;padding:.6rem .9rem}a{color:#1f6feb}
</style></head><body><main>${body}</main></body></html>`;
}

const from = (brandName: string) => (brandName ? ` from ${escapeHtml(brandName)}` : '');

export function unsubscribeConfirmPage(who: { brandName: string; email: string } | null, preferencesUrl: string): string {
  const address = who ? ` to <strong>${escapeHtml(maskEmail(who.email))}</strong>` : '';
  return layout(
    'Unsubscribe',
    `<h1>Unsubscribe</h1>
<p>Stop sending emails${from(who?.brandName ?? '')}${address}?</p>
<form method="post"><input type="hidden" name="confirm" value="page"><div class="actions"><button type="submit" class="danger">Unsubscribe</button></div></form>
<p class="muted" style="margin-top:1.25rem">Only want fewer emails? <a href="${escapeHtml(preferencesUrl)}">Choose what you receive</a>.</p>`,
  );
}

export function unsubscribedPage(who: { brandName: string; email: string } | null): string {
  const address = who ? escapeHtml(maskEmail(who.email)) : 'This address';
  return layout('Unsubscribed', `<h1>You are unsubscribed</h1><p>${address} will get no more emails${from(who?.brandName ?? '')}.</p>`);
}

export function preferencesPage(view: PreferencesView, notice: 'saved' | 'unsubscribed' | null): string {
  const topics = view.topics
    .map(
      (t) =>
        `<label><input type="checkbox" name="topic" value="${escapeHtml(t.id)}"${t.optedIn ? ' checked' : ''}><span>${escapeHtml(t.name)}${t.description ? `<small>${escapeHtml(t.description)}</small>` : ''}</span></label>`,
    )
    .join('\n');
  const message =
    notice === 'saved' ? '<p class="notice">Your choices are saved.</p>' : notice === 'unsubscribed' ? '<p class="notice">You are unsubscribed from all emails.</p>' : '';
  const state = view.unsubscribed && notice !== 'unsubscribed' ? '<p class="muted">You are currently unsubscribed from all emails.</p>' : '';
  return layout(
    'Email preferences',
    `<h1>Email preferences</h1>
${message}${state}<p>Emails${from(view.brandName)} to <strong>${escapeHtml(maskEmail(view.email))}</strong>.</p>
<form method="post">${topics ? `<p class="muted">Tick the topics you want to hear about.</p>${topics}` : ''}
<div class="actions">${topics ? '<button type="submit" name="action" value="save">Save preferences</button>' : ''}<button type="submit" name="action" value="unsubscribe" class="${topics ? 'secondary' : 'danger'}">Unsubscribe from all</button></div>
</form>`,
  );
}

export function previewNoticePage(): string {
  return layout('Preview', '<h1>Nothing changed</h1><p>This link comes from a preview or a test send: it works, but acts on no one.</p>');
}

export function notFoundPage(): string {
  return layout('Link not valid', '<h1>This link is not valid</h1><p>It may be incomplete: try opening it from the email again.</p>');
}

export function errorPage(): string {
  return layout('Something went wrong', '<h1>Something went wrong</h1><p>Please try again in a moment.</p>');
}
