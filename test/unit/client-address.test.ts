import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../lib/config';
import { clientAddressResolver } from '../../workers/http/client-address';

const resolver = (trusted: string) => clientAddressResolver(parseConfig({ TRUSTED_PROXIES: trusted }).TRUSTED_PROXIES);

describe('the client address behind TRUSTED_PROXIES', () => {
  it('without trusted proxies, is the socket peer whatever X-Forwarded-For says', () => {
    const of = resolver('');
    expect(of('127.0.0.1', '1.2.3.4')).toBe('127.0.0.1');
    expect(of('::ffff:127.0.0.1', '1.2.3.4, 5.6.7.8')).toBe('127.0.0.1');
  });

  it('reads the header only from a trusted peer', () => {
    const of = resolver('127.0.0.1/32');
    // 192.0.2.9 is not a proxy of ours: what it claims about its clients is its own say.
    expect(of('192.0.2.9', '1.2.3.4')).toBe('192.0.2.9');
    expect(of('127.0.0.1', undefined)).toBe('127.0.0.1');
  });

  it('walks right to left and stops at the first untrusted hop, which is the client', () => {
    const of = resolver('127.0.0.1/32, 10.0.0.0/8');
    // The client sent "1.2.3.4" itself; the proxy appended 5.6.7.8, the address it saw.
    expect(of('127.0.0.1', '1.2.3.4, 5.6.7.8')).toBe('5.6.7.8');
    // Two proxies of ours (127.0.0.1 <- 10.1.1.1 <- client 5.6.7.8).
    expect(of('127.0.0.1', '1.2.3.4, 5.6.7.8, 10.1.1.1')).toBe('5.6.7.8');
    // Repeated headers are one list.
    expect(of('127.0.0.1', ['1.2.3.4', '5.6.7.8, 10.1.1.1'])).toBe('5.6.7.8');
    // Every hop is ours: the farthest one is as close to the client as anyone can say.
    expect(of('127.0.0.1', '10.0.0.2, 10.0.0.3')).toBe('10.0.0.2');
  });

  it('stops at the last trusted proxy when a hop is not an address', () => {
    const of = resolver('127.0.0.1/32, 10.0.0.0/8');
    expect(of('127.0.0.1', '5.6.7.8, 10.0.0.4, unknown')).toBe('127.0.0.1');
    expect(of('127.0.0.1', '5.6.7.8:4431, 10.0.0.4')).toBe('10.0.0.4');
  });

  it('handles IPv6 ranges and IPv4 peers of a dual-stack socket', () => {
    const of = resolver('fd00::/8, 127.0.0.1');
    expect(of('fd12::1', '2001:db8::7')).toBe('2001:db8::7');
    expect(of('fd12::1', '2001:db8::7, fd34::2')).toBe('2001:db8::7');
    expect(of('2001:db8::9', '5.6.7.8')).toBe('2001:db8::9');
    expect(of('::ffff:127.0.0.1', '::ffff:5.6.7.8')).toBe('5.6.7.8');
  });

  it('parses TRUSTED_PROXIES as CIDRs or addresses, and stops naming it on anything else', () => {
    expect(parseConfig({}).TRUSTED_PROXIES).toEqual([]);
    expect(parseConfig({ TRUSTED_PROXIES: '10.0.0.0/8, fd00::/8,127.0.0.1' }).TRUSTED_PROXIES).toEqual([
      { address: '10.0.0.0', prefix: 8, family: 'ipv4' },
      { address: 'fd00::', prefix: 8, family: 'ipv6' },
      { address: '127.0.0.1', prefix: 32, family: 'ipv4' },
    ]);
    for (const bad of ['10.0.0.0/33', 'proxy.internal', '10.0.0.0/8/1', '::1/129', '10.0.0.0/']) {
      let error: unknown;
      try {
        parseConfig({ TRUSTED_PROXIES: `127.0.0.1/32,${bad}` });
      } catch (err) {
        error = err;
      }
      expect(error, bad).toBeInstanceOf(ConfigError);
      expect((error as Error).message, bad).toContain(`TRUSTED_PROXIES="127.0.0.1/32,${bad}": "${bad}" is not a CIDR`);
    }
  });
});
