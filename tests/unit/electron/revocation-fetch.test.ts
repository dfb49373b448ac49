/**
 * The address and URL rules of revocation fetches (electron/services/signing/revocation-fetch.ts): which IPs
 * count as public, in every textual form an attacker can choose, and which URLs are refused outright.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkUrl, defaultRevocationFetchPolicy, ipBytes, isPublicAddress } from '../../../electron/services/signing/revocation-fetch';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '0.0.0.0', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
    '224.0.0.1', '255.255.255.255', '198.18.0.1',
    '::', '::1', 'fe80::1', 'fe80::1%eth0', 'fd00::1', 'fc12:3456::1', 'ff02::1', 'fec0::1', '2001:db8::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe', '::127.0.0.1', '64:ff9b::a00:1', '64:ff9b:1::1', '2002:c0a8:0101::1', '2002:7f00:0001::',
    '[::1]', 'not-an-ip', '',
  ])('%s is refused', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '14.225.7.7', '1.1.1.1', '172.32.0.1', '2001:4860:4860::8888', '2402:800::1', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:0808:0808::1'])('%s is allowed', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('any private IPv4 address stays refused when written as an IPv4-mapped IPv6 address, dotted or hex', () => {
    const privateV4 = fc.oneof(
      fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
    );
    fc.assert(
      fc.property(privateV4, ([a, b, c, d]) => {
        const hex = (x: number, y: number) => ((x << 8) | y).toString(16);
        return !isPublicAddress(`${a}.${b}.${c}.${d}`) && !isPublicAddress(`::ffff:${a}.${b}.${c}.${d}`) && !isPublicAddress(`::ffff:${hex(a, b)}:${hex(c, d)}`);
      }),
    );
  });

  it('parses IPv6 with :: anywhere and a trailing dotted quad', () => {
    expect([...(ipBytes('::ffff:1.2.3.4') ?? [])]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4]);
    expect([...(ipBytes('1::') ?? [])]).toEqual([0, 1, ...Array<number>(14).fill(0)]);
    expect([...(ipBytes('1:2:3:4:5:6:7:8') ?? [])]).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
  });
});

describe('checkUrl', () => {
  const policy = defaultRevocationFetchPolicy;
  it.each([
    ['file:///etc/passwd', /scheme/],
    ['ftp://crl.example.vn/a.crl', /scheme/],
    ['ldap://ldap.example.vn/cn=ca?certificateRevocationList', /scheme/],
    ['http://crl.example.vn:8080/a.crl', /port 8080/],
    ['https://crl.example.vn:22/a.crl', /port 22/],
    ['http://user:secret@crl.example.vn/a.crl', /credentials/],
  ])('%s is refused', (url, reason) => {
    expect(checkUrl(new URL(url), policy)).toMatch(reason);
  });

  it.each(['http://crl.example.vn/a.crl', 'https://ocsp.example.vn', 'http://crl.example.vn:80/x', 'https://crl.example.vn:443/x'])('%s is allowed', (url) => {
    expect(checkUrl(new URL(url), policy)).toBeNull();
  });

  it('a configured extra port is allowed', () => {
    expect(checkUrl(new URL('http://crl.example.vn:8080/a.crl'), { ...policy, allowedPorts: [80, 443, 8080] })).toBeNull();
  });
});
