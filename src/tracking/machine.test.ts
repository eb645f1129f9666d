import { describe, expect, it } from 'vitest';
import { classifyClick, classifyOpen, isAppleNetwork, type MachineReason, type RecentClick } from './machine.ts';

const SENT = '2026-03-01T10:00:00.000Z';
const after = (ms: number) => new Date(Date.parse(SENT) + ms);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const OUTLOOK = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0';
const GMAIL = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
const YAHOO = 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html';

type Row = [name: string, ua: string | null, ip: string | null, elapsedMs: number, method: string, expected: MachineReason | null];

describe('classifyOpen', () => {
  it.each<Row>([
    ['a mail client an hour after sending', SAFARI, '203.0.113.9', HOUR, 'GET', null],
    ['Apple MPP: bare agent from 17.0.0.0/8, hours later', 'Mozilla/5.0', '17.58.101.7', 5 * HOUR, 'GET', 'apple-mpp'],
    ['Apple MPP: bare agent from Apple IPv6', 'Mozilla/5.0', '2620:149:a:b::1', HOUR, 'GET', 'apple-mpp'],
    ['Apple MPP: bare agent, IPv4-mapped address', 'Mozilla/5.0', '::ffff:17.1.2.3', HOUR, 'GET', 'apple-mpp'],
    ['Apple MPP: bare agent elsewhere, seconds after delivery', 'Mozilla/5.0', '198.51.100.4', 8_000, 'GET', 'apple-mpp'],
    ['bare agent elsewhere, long after sending: a person behind something odd', 'Mozilla/5.0', '198.51.100.4', HOUR, 'GET', null],
    ['a full Safari agent from Apple’s network is a person (an Apple employee)', SAFARI, '17.1.2.3', HOUR, 'GET', null],
    ['Gmail image proxy fetches on open: human, even right away', GMAIL, '66.249.84.1', 1_000, 'GET', null],
    ['Yahoo Mail proxy fetches on open: human', YAHOO, '74.6.1.1', MINUTE, 'GET', null],
    ['prefetch: a client fetching within seconds of sending', OUTLOOK, '203.0.113.9', 1_500, 'GET', 'prefetch'],
    ['just after the prefetch window: human', OUTLOOK, '203.0.113.9', 3_500, 'GET', null],
    ['a security scanner', 'Mozilla/5.0 (compatible; Barracuda Sentinel)', null, HOUR, 'GET', 'security-scanner'],
    ['a bot', 'Mozilla/5.0 (compatible; Googlebot/2.1)', null, HOUR, 'GET', 'bot'],
    ['a script', 'python-requests/2.32', null, HOUR, 'GET', 'bot'],
    ['no user agent', null, '203.0.113.9', HOUR, 'GET', 'no-user-agent'],
    ['HEAD', SAFARI, '203.0.113.9', HOUR, 'HEAD', 'head-request'],
  ])('%s', (_name, ua, ip, elapsed, method, expected) => {
    const v = classifyOpen({ method, userAgent: ua, ip }, { sentAt: SENT }, after(elapsed));
    expect(v.reason).toBe(expected);
    expect(v.machine).toBe(expected !== null);
  });

  it('names the proxy it recognised', () => {
    expect(classifyOpen({ method: 'GET', userAgent: GMAIL, ip: null }, { sentAt: SENT }, after(HOUR)).agent).toBe('Gmail image proxy');
    expect(classifyOpen({ method: 'GET', userAgent: 'Mozilla/5.0', ip: '17.0.0.1' }, { sentAt: SENT }, after(HOUR)).agent).toBe('Apple MPP');
  });

  it('applies no timing rule while the send time is unknown', () => {
    expect(classifyOpen({ method: 'GET', userAgent: OUTLOOK, ip: null }, { sentAt: null }, after(0)).machine).toBe(false);
  });
});

describe('classifyClick', () => {
  it.each<Row>([
    ['a person in a browser', SAFARI, null, 10 * MINUTE, 'GET', null],
    ['Barracuda', 'Barracuda Sentinel (EE)', null, HOUR, 'GET', 'security-scanner'],
    ['Mimecast', 'Mozilla/5.0 Mimecast-URL-Protect', null, HOUR, 'GET', 'security-scanner'],
    ['Proofpoint', 'Proofpoint URL Defense', null, HOUR, 'GET', 'security-scanner'],
    ['Microsoft Safe Links', 'Microsoft SafeLinks/1.0', null, HOUR, 'GET', 'security-scanner'],
    ['a HEAD request', SAFARI, null, HOUR, 'HEAD', 'head-request'],
    ['the bare agent (browsers always say more)', 'Mozilla/5.0', null, HOUR, 'GET', 'bot'],
    ['within two seconds of sending', SAFARI, null, 1_200, 'GET', 'too-fast'],
    ['curl', 'curl/8.5.0', null, HOUR, 'GET', 'bot'],
    ['no user agent', '', null, HOUR, 'GET', 'no-user-agent'],
  ])('%s', (_name, ua, ip, elapsed, method, expected) => {
    const v = classifyClick({ method, userAgent: ua, ip }, { sentAt: SENT }, after(elapsed), '0', []);
    expect(v.reason).toBe(expected);
    expect(v.machine).toBe(expected !== null);
  });

  const at = (ms: number) => after(HOUR + ms).toISOString();
  it.each<[string, RecentClick[], string, boolean]>([
    ['two other links within the last second: a burst', [{ at: at(-300), target: '1' }, { at: at(-100), target: '2' }], '0', true],
    ['the same link clicked again quickly: a person double-clicking', [{ at: at(-300), target: '0' }, { at: at(-100), target: '0' }], '0', false],
    ['two other links, but more than a second apart', [{ at: at(-2_500), target: '1' }, { at: at(-1_200), target: '2' }], '0', false],
    ['one other link: a person trying two links', [{ at: at(-400), target: '1' }], '0', false],
  ])('%s', (_name, recent, target, machine) => {
    const v = classifyClick({ method: 'GET', userAgent: SAFARI, ip: null }, { sentAt: SENT }, after(HOUR), target, recent);
    expect(v.machine).toBe(machine);
    expect(v.reason).toBe(machine ? 'link-burst' : null);
  });
});

describe('isAppleNetwork', () => {
  it.each([
    ['17.0.0.1', true],
    ['17.255.255.255', true],
    ['18.0.0.1', false],
    ['16.255.255.255', false],
    ['2a01:b740::1', true],
    ['2001:db8::1', false],
    ['not an ip', false],
    [null, false],
  ])('%s → %s', (ip, expected) => {
    expect(isAppleNetwork(ip)).toBe(expected);
  });
});
