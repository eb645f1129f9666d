import { describe, expect, it } from 'vitest';
import { ButtonBlock, UrlField } from './model.ts';

describe('UrlField', () => {
  it.each([
    'https://x.test/',
    'https://x.test/?e={{ contact.email }}',
    'https://x.test/?e={{contact.email|url_encode}}',
    'https://x.test/{{ contact.country | default: "en" | downcase }}/shop?n={{ contact.first_name | url_encode }}',
    'mailto:help@x.test?subject={{ contact.first_name | default: "Hello" }}',
    '{{ view_in_browser_url }}',
    '{{unsubscribe_url}}',
    '  https://x.test/padded  ',
  ])('accepts %s', (url) => {
    expect(UrlField.safeParse(url).success).toBe(true);
  });

  it.each([
    ['a space outside the merge tags', 'https://x.test/a b?e={{ contact.email }}'],
    ['a relative path', '/shop'],
    ['another scheme', 'javascript:alert(1)'],
    ['a merge tag that is not a variable', '{{ "https://x.test" }}'],
    ['a scheme made by a merge tag', '{{ contact.scheme }}://x.test/'],
    ['an unclosed merge tag', 'https://x.test/?e={{ contact.email'],
    ['empty', ''],
  ])('refuses %s', (_name, url) => {
    expect(UrlField.safeParse(url).success).toBe(false);
  });

  it('names the problem on a block field', () => {
    const r = ButtonBlock.safeParse({ id: 'b', type: 'button', text: 'Go', url: 'shop.x.test' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ['url'], message: 'must be an http(s) or mailto: URL, or a merge tag such as {{ unsubscribe_url }}' });
  });
});
