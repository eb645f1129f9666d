import type { OutboundMessage } from './model.ts';

/** A typical marketing message for the providers' tests: one recipient, both parts, one-click unsubscribe. */
export function outbound(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  const n = overrides.messageRef ?? 'msg_01';
  return {
    idempotencyKey: `cmp_1:${n}`,
    messageRef: n,
    category: 'marketing',
    from: { email: 'hello@acme.test', name: 'Acme Coffee' },
    replyTo: { email: 'support@acme.test' },
    to: [{ email: 'ann@example.com', name: 'Ann' }],
    subject: 'Fresh beans are here',
    html: '<p>Hi Ann, <a href="https://acme.test/shop">shop now</a></p>',
    text: 'Hi Ann, shop now: https://acme.test/shop',
    headers: {
      'List-Unsubscribe': '<https://t.acme.test/u/abc>, <mailto:unsub@acme.test?subject=abc>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    tags: { campaign: 'cmp_1' },
    ...overrides,
  };
}

/** `count` distinct messages, numbered so each has its own ref and idempotency key. */
export function outboundMany(count: number, overrides: Partial<OutboundMessage> = {}): OutboundMessage[] {
  return Array.from({ length: count }, (_, i) => outbound({ messageRef: `msg_${i}`, to: [{ email: `r${i}@example.com` }], ...overrides }));
}
