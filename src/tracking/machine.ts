import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Machine opens and scanner clicks (S5.4): which tracking hits were made by software rather than by
 * the recipient. Pure: the request's signals, the message's times and its recent clicks in, a
 * verdict out. Machine events are still recorded (events.machine = 1) and counted apart; they never
 * set a message's opened_at / clicked_at, which are the recipient's own firsts.
 *
 * Opens, first matching rule wins:
 * - a HEAD request: nobody reads an email with HEAD.
 * - Apple Mail Privacy Protection: Apple's proxy fetches every image when the message reaches the
 *   device, opened or not, with the bare user agent `Mozilla/5.0` (no further tokens) from Apple's
 *   own networks (17.0.0.0/8 and Apple's IPv6 blocks). The bare agent from elsewhere within
 *   MPP_WINDOW of sending is the same prefetch seen through another egress.
 * - Gmail's and Yahoo's image proxies fetch when the recipient opens the message: human.
 * - a known security scanner, a generic bot or tool, or no user agent at all.
 * - any other open within PREFETCH_WINDOW of sending: no person opens that fast; clients that
 *   prefetch on arrival do.
 *
 * Clicks, first matching rule wins:
 * - HEAD; a security scanner (Barracuda, Mimecast, Proofpoint, Microsoft Defender / Safe Links,
 *   …), a bot or tool, no user agent, or the bare `Mozilla/5.0` (browsers always say more);
 * - within SCAN_WINDOW of sending: link scanners follow links as the message arrives;
 * - a burst: BURST_LINKS different links of the message within BURST_WINDOW (a person clicks one
 *   link and reads); gateways that rewrite links, such as Safe Links, often show only this sign.
 */

export const PREFETCH_WINDOW_MS = 3_000;
export const MPP_WINDOW_MS = 60_000;
export const SCAN_WINDOW_MS = 2_000;
export const BURST_WINDOW_MS = 1_000;
export const BURST_LINKS = 3;

export type MachineReason = 'head-request' | 'apple-mpp' | 'security-scanner' | 'bot' | 'no-user-agent' | 'prefetch' | 'too-fast' | 'link-burst' | 'provider';

export interface Verdict {
  machine: boolean;
  reason: MachineReason | null;
  /** The proxy or scanner recognised, for the trail ("Apple MPP", "Gmail image proxy", "Mimecast"). */
  agent: string | null;
}

/** What the tracking request itself tells. */
export interface RequestSignal {
  method: string;
  userAgent: string | null;
  ip: string | null;
}

/** When the message left (null while the dispatcher has not recorded it). */
export interface MessageTiming {
  sentAt: string | null;
}

/** A click shortly before: when, and which link (its index, or its URL when a provider reported it). */
export interface RecentClick {
  at: string;
  target: string;
}

const APPLE_NETWORKS = new BlockList();
APPLE_NETWORKS.addSubnet('17.0.0.0', 8, 'ipv4');
for (const prefix of ['2620:149::', '2403:300::', '2a01:b740::']) APPLE_NETWORKS.addSubnet(prefix, 32, 'ipv6');

const BARE_AGENT = /^Mozilla\/5\.0$/;

/** Image proxies that fetch on the recipient's open: their hits are the recipient's. */
const OPEN_PROXIES: Array<[string, RegExp]> = [
  ['Gmail image proxy', /GoogleImageProxy/i],
  ['Yahoo Mail proxy', /YahooMailProxy/i],
];

const SCANNERS: Array<[string, RegExp]> = [
  ['Barracuda', /barracuda/i],
  ['Mimecast', /mimecast/i],
  ['Proofpoint', /proofpoint|ppops-/i],
  ['Microsoft Defender', /safelinks|microsoft ?defender|atp ?safe|o365 ?atp|bingpreview/i],
  ['Cisco', /ironport|cisco/i],
  ['Trend Micro', /trend ?micro/i],
  ['Symantec', /symantec|messagelabs/i],
  ['Sophos', /sophos/i],
  ['Forcepoint', /forcepoint/i],
  ['Zscaler', /zscaler/i],
  ['FireEye', /fireeye|trellix/i],
];

const BOT = /bot\b|bot\/|crawler|spider|scanner|python-requests|python-urllib|aiohttp|go-http-client|curl\/|wget\/|java\/|okhttp|libwww|httpclient|headlesschrome|phantomjs|node-fetch|axios\//i;

const human = (agent: string | null = null): Verdict => ({ machine: false, reason: null, agent });
const machine = (reason: MachineReason, agent: string | null = null): Verdict => ({ machine: true, reason, agent });

export function isAppleNetwork(ip: string | null): boolean {
  if (!ip) return false;
  const v4 = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (isIPv4(v4)) return APPLE_NETWORKS.check(v4, 'ipv4');
  return isIPv6(v4) && APPLE_NETWORKS.check(v4, 'ipv6');
}

function elapsedMs(timing: MessageTiming, at: Date): number | null {
  if (!timing.sentAt) return null;
  return at.getTime() - Date.parse(timing.sentAt);
}

const within = (elapsed: number | null, windowMs: number) => elapsed !== null && elapsed < windowMs;

/** Scanners, bots, tools and a missing agent: the verdict, or null when the agent looks like a person's. */
function softwareAgent(userAgent: string | null): Verdict | null {
  if (!userAgent?.trim()) return machine('no-user-agent');
  const scanner = SCANNERS.find(([, re]) => re.test(userAgent));
  if (scanner) return machine('security-scanner', scanner[0]);
  return BOT.test(userAgent) ? machine('bot') : null;
}

/** What the user agent alone tells: whether it is the bare `Mozilla/5.0`, an open proxy, or software. */
interface AgentFacts {
  bare: boolean;
  proxy: string | null;
  software: Verdict | null;
}

/**
 * AgentFacts by user agent, remembered: the hits of a campaign come from a few hundred agents at
 * most, and the dozen regexes over each agent cost the tracking thread more than the rest of a
 * verdict. Emptied when full, so a flood of made-up agents costs memory only up to the cap.
 */
const agents = new Map<string, AgentFacts>();
const AGENTS_REMEMBERED = 2_000;
const LONGEST_REMEMBERED_AGENT = 512;

function agentFacts(signal: RequestSignal): AgentFacts {
  const ua = signal.userAgent?.trim() ?? '';
  let facts = agents.get(ua);
  if (!facts) {
    facts = { bare: BARE_AGENT.test(ua), proxy: OPEN_PROXIES.find(([, re]) => re.test(ua))?.[0] ?? null, software: softwareAgent(ua) };
    if (agents.size >= AGENTS_REMEMBERED) agents.clear();
    if (ua.length <= LONGEST_REMEMBERED_AGENT) agents.set(ua, facts);
  }
  return facts;
}

export function classifyOpen(signal: RequestSignal, timing: MessageTiming, at: Date): Verdict {
  if (signal.method === 'HEAD') return machine('head-request');
  const agent = agentFacts(signal);
  const elapsed = elapsedMs(timing, at);
  if (agent.bare && (isAppleNetwork(signal.ip) || within(elapsed, MPP_WINDOW_MS))) return machine('apple-mpp', 'Apple MPP');
  if (agent.proxy) return human(agent.proxy);
  if (agent.software) return agent.software;
  return within(elapsed, PREFETCH_WINDOW_MS) ? machine('prefetch') : human();
}

/** `recent`: the message's other clicks shortly before this one (any order; this click excluded). */
export function classifyClick(signal: RequestSignal, timing: MessageTiming, at: Date, target: string, recent: readonly RecentClick[]): Verdict {
  if (signal.method === 'HEAD') return machine('head-request');
  const agent = agentFacts(signal);
  if (agent.software) return agent.software;
  if (agent.bare) return machine('bot');
  if (within(elapsedMs(timing, at), SCAN_WINDOW_MS)) return machine('too-fast');
  const since = at.getTime() - BURST_WINDOW_MS;
  const links = new Set([target, ...recent.filter((c) => Date.parse(c.at) >= since && Date.parse(c.at) <= at.getTime()).map((c) => c.target)]);
  return links.size >= BURST_LINKS ? machine('link-burst') : human();
}
