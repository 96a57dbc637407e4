import { BlockList, isIP } from 'node:net';

/**
 * Where a rule's webhook may go. A rule file is written by buyers, but the webhook is sent from
 * inside the worker's network: without these limits a rule could make the worker POST to the
 * cloud metadata service, an admin port on loopback or anything else only the worker can reach.
 */
export interface WebhookPolicy {
  /** WEBHOOK_ALLOWED_HOSTS, lower case; empty: webhooks are off. */
  allowedHosts: readonly string[];
  /** WEBHOOK_ALLOW_LOOPBACK: tests only (the config refuses it outside NODE_ENV=test). */
  allowLoopback: boolean;
}

export function webhookPolicy(config: {
  WEBHOOK_ALLOWED_HOSTS: readonly string[];
  WEBHOOK_ALLOW_LOOPBACK: boolean;
}): WebhookPolicy {
  return { allowedHosts: config.WEBHOOK_ALLOWED_HOSTS, allowLoopback: config.WEBHOOK_ALLOW_LOOPBACK };
}

export const WEBHOOKS_OFF = 'webhooks are off (WEBHOOK_ALLOWED_HOSTS is empty)';

/** A URL's host as WEBHOOK_ALLOWED_HOSTS lists it: lower case, no IPv6 brackets, no trailing dot. */
export function webhookHost(url: URL): string {
  return url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
}

/** scheme://host[:port] only: a webhook path may itself be a secret (Slack's are), and buyers read rule history. */
export function webhookOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(not a URL)';
  }
}

/** Whether the URL's host is one the operator allowed; checked before any DNS lookup. */
export function webhookHostVerdict(
  url: string,
  policy: WebhookPolicy,
): { ok: true; host: string } | { ok: false; reason: string } {
  if (policy.allowedHosts.length === 0) return { ok: false, reason: WEBHOOKS_OFF };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'the webhook url is not a URL' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return { ok: false, reason: `webhook ${parsed.protocol} URLs are not sent (http or https only)` };
  const host = webhookHost(parsed);
  if (!policy.allowedHosts.includes(host))
    return { ok: false, reason: `webhook host ${host} is not in WEBHOOK_ALLOWED_HOSTS` };
  return { ok: true, host };
}

function ranges(list: Array<[string, number]>): BlockList {
  const block = new BlockList();
  for (const [network, prefix] of list) block.addSubnet(network, prefix, isIP(network) === 6 ? 'ipv6' : 'ipv4');
  return block;
}

/**
 * Address ranges a webhook never reaches, most specific first so the reason names the real one.
 * BlockList also matches IPv4-mapped IPv6 forms (::ffff:127.0.0.1) against the IPv4 ranges.
 */
const REFUSED: Array<{ name: string; block: BlockList }> = [
  {
    name: 'cloud metadata',
    block: ranges([
      ['169.254.169.254', 32],
      ['fd00:ec2::254', 128],
    ]),
  },
  {
    name: 'loopback',
    block: ranges([
      ['127.0.0.0', 8],
      ['::1', 128],
    ]),
  },
  {
    name: 'unspecified',
    block: ranges([
      ['0.0.0.0', 8],
      ['::', 128],
    ]),
  },
  {
    name: 'link-local',
    block: ranges([
      ['169.254.0.0', 16],
      ['fe80::', 10],
    ]),
  },
  {
    name: 'private',
    block: ranges([
      ['10.0.0.0', 8],
      ['172.16.0.0', 12],
      ['192.168.0.0', 16],
      ['fc00::', 7],
      ['fec0::', 10],
    ]),
  },
  // Carrier-grade NAT space: inside clouds it is internal too (one cloud's metadata is 100.100.100.200).
  { name: 'shared (carrier-grade NAT)', block: ranges([['100.64.0.0', 10]]) },
  {
    name: 'multicast',
    block: ranges([
      ['224.0.0.0', 4],
      ['ff00::', 8],
    ]),
  },
  { name: 'reserved', block: ranges([['240.0.0.0', 4]]) },
];

/** The eight 16-bit groups of an IPv6 address (with an embedded dotted IPv4 tail expanded). */
function hextets(address: string): number[] {
  let text = address.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -v4[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const middle = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((h) => parseInt(h, 16));
}

/** The IPv4 address an IPv6 one carries: NAT64 (64:ff9b::/96) or 6to4 (2002::/16); else undefined. */
function embeddedIpv4(address: string): string | undefined {
  const h = hextets(address);
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (h[0] === 0x64 && h[1] === 0xff9b && h.slice(2, 6).every((x) => x === 0)) return v4(h[6]!, h[7]!);
  if (h[0] === 0x2002) return v4(h[1]!, h[2]!);
  return undefined;
}

/** Why a resolved address is refused (the range's name), or undefined when a webhook may go there. */
export function refusedRange(address: string, policy: Pick<WebhookPolicy, 'allowLoopback'>): string | undefined {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  const type = family === 6 ? 'ipv6' : 'ipv4';
  for (const { name, block } of REFUSED) {
    if (!block.check(address, type)) continue;
    if (name === 'loopback' && policy.allowLoopback) return undefined;
    return name;
  }
  if (family === 6) {
    const inner = embeddedIpv4(address);
    if (inner !== undefined) return refusedRange(inner, policy);
  }
  return undefined;
}
