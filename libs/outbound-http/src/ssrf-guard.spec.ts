import type { LookupAddress } from 'node:dns';
import { AddressRefusedError, findAddressRefusal, isPublicAddress, OutboundAddressPolicy, type Resolver } from './ssrf-guard';

/** A resolver answering `address` for every name, like a rebinding DNS server would. */
const resolvingTo = (address: string): Resolver =>
  ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
    options.all ? callback(null, [{ address, family: address.includes(':') ? 6 : 4 }]) : callback(null, address, 4)) as never;

describe('isPublicAddress', () => {
  it('refuses every special-purpose range, including IPv4 mapped into IPv6', () => {
    const special = [
      '127.0.0.1', '10.1.2.3', '172.16.5.4', '192.168.0.1', '100.64.0.1', '169.254.169.254', '0.0.0.0', '224.0.0.1', '255.255.255.255',
      '::1', '::', 'fc00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'not-an-address', '',
    ];
    for (const address of special) expect([address, isPublicAddress(address)]).toEqual([address, false]);
  });

  it('accepts public unicast, including IPv4 mapped into IPv6', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.4.4']) {
      expect([address, isPublicAddress(address)]).toEqual([address, true]);
    }
  });
});

describe('OutboundAddressPolicy', () => {
  it('allows private addresses for listed hosts, by host or by host:port, case-insensitively', () => {
    const policy = new OutboundAddressPolicy(['Feeds.Local', '127.0.0.1:8080', '[::1]', ' ']);
    expect(policy.allowsPrivate('feeds.local', 443)).toBe(true);
    expect(policy.allowsPrivate('127.0.0.1', '8080')).toBe(true);
    expect(policy.allowsPrivate('127.0.0.1', '8081')).toBe(false);
    expect(policy.allowsPrivate('[::1]', 80)).toBe(false);
    expect(new OutboundAddressPolicy(['::1']).allowsPrivate('[::1]', 80)).toBe(true);
    expect(new OutboundAddressPolicy(true).allowsPrivate('10.0.0.1', 80)).toBe(true);
    expect(new OutboundAddressPolicy().allowsPrivate('10.0.0.1', 80)).toBe(false);
  });

  it('refuses a private IP literal unless allowed, and never a public one', () => {
    const policy = new OutboundAddressPolicy(['10.0.0.1:8080']);
    expect(policy.refusalForLiteral('10.0.0.1', 80)).toBeInstanceOf(AddressRefusedError);
    expect(policy.refusalForLiteral('[::1]', 80)?.message).toBe('::1 is a private or loopback address');
    expect(policy.refusalForLiteral('10.0.0.1', 8080)).toBeUndefined();
    expect(policy.refusalForLiteral('8.8.8.8', 80)).toBeUndefined();
    expect(policy.refusalForLiteral('news.example.org', 80)).toBeUndefined();
  });

  it('checks the addresses a name resolves to, and lets an allowed host resolve to anything', async () => {
    const strict = new OutboundAddressPolicy();
    await expect(strict.check('news.example.org', 443, resolvingTo('10.0.0.7'))).rejects.toMatchObject({
      code: 'ADDRESS_REFUSED',
      retriable: false,
      host: 'news.example.org',
      address: '10.0.0.7',
      message: 'news.example.org resolves to 10.0.0.7, a private or loopback address',
    });
    await expect(strict.check('localhost', 80)).rejects.toBeInstanceOf(AddressRefusedError);
    await expect(strict.check('news.example.org', 443, resolvingTo('93.184.216.34'))).resolves.toEqual([{ address: '93.184.216.34', family: 4 }]);
    await expect(new OutboundAddressPolicy(['news.example.org']).check('news.example.org', 443, resolvingTo('10.0.0.7'))).resolves.toHaveLength(1);
    await expect(strict.check('127.0.0.1', 80)).rejects.toBeInstanceOf(AddressRefusedError);
  });

  it('refuses when any one of several addresses is private', async () => {
    const mixed = ((_h: string, _o: unknown, callback: (e: null, a: LookupAddress[]) => void) =>
      callback(null, [{ address: '93.184.216.34', family: 4 }, { address: '192.168.1.1', family: 4 }])) as never;
    await expect(new OutboundAddressPolicy().check('mixed.example.org', 80, mixed)).rejects.toMatchObject({ address: '192.168.1.1' });
  });

  it('finds a refusal wrapped in causes by the client that raised it', () => {
    const refusal = new AddressRefusedError('a', '10.0.0.1');
    expect(findAddressRefusal(new Error('fetch failed', { cause: new Error('connect', { cause: refusal }) }))).toBe(refusal);
    expect(findAddressRefusal(new Error('ECONNREFUSED'))).toBeUndefined();
  });
});
