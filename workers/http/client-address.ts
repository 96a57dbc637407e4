import { BlockList, isIP } from 'node:net';
import type { Config } from '../../lib/config';

export type ProxyRange = Config['TRUSTED_PROXIES'][number];

/** Who sent a request, as the rate limiter and the audit log see it. */
export type ClientAddressOf = (
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
) => string;

/** A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; the audit and the limiter want a.b.c.d. */
function plain(address: string): string {
  const mapped = /^::ffff:(.+)$/i.exec(address);
  return mapped && isIP(mapped[1]!) === 4 ? mapped[1]! : address;
}

/**
 * The client's address behind the proxies in TRUSTED_PROXIES. Anyone can send X-Forwarded-For, so
 * it is read only when the socket's peer is a trusted proxy, and then right to left: each trusted
 * proxy appended the address it saw, so the first hop that is not a trusted proxy is the client
 * and everything left of it is the client's own say. With no trusted proxies the header is ignored.
 */
export function clientAddressResolver(trusted: readonly ProxyRange[]): ClientAddressOf {
  const list = new BlockList();
  for (const range of trusted) list.addSubnet(range.address, range.prefix, range.family);
  const isTrusted = (address: string) => {
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
  return (socketAddress, forwardedFor) => {
    const peer = plain(socketAddress ?? '');
    if (trusted.length === 0 || !isTrusted(peer)) return peer;
    // Repeated headers arrive as one comma-joined string or an array; both are one list of hops.
    const hops = [forwardedFor ?? []]
      .flat()
      .join(',')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    let client = peer;
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = plain(hops[i]!);
      // A trusted proxy wrote something that is not an address (a port, "unknown"): the last
      // address we can vouch for is that proxy, so it stands in for the client.
      if (isIP(hop) === 0) break;
      client = hop;
      if (!isTrusted(hop)) break;
    }
    return client;
  };
}
