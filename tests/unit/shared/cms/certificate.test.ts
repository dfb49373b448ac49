import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCertificate } from '../../../../shared/cms/certificate';
import { parseX509 } from '../../../../shared/cms/x509';
import { createTestCa, type IssuedCert, type TestCa } from '../../../support/test-ca';

const run = promisify(execFile);

let dir: string;
let ca: TestCa;
/** Issued by the test CA: a UTF8String Vietnamese CN (string_mask utf8only). */
let utf8Cert: IssuedCert;
/** Self-signed by openssl with string_mask "default": the Vietnamese CN becomes a BMPString, "ã" a T61String. */
let bmpDer: Uint8Array;
let bmpDump: string;
let utf8Dump: string;

/** `openssl asn1parse` of a DER file: offsets, depths and types, read independently of the code under test. */
async function asn1parse(derPath: string): Promise<string> {
  return (await run('openssl', ['asn1parse', '-inform', 'DER', '-in', derPath])).stdout;
}

/** The TBSCertificate's fields (version, serial, …) as slices of `der`, located by openssl's own offsets. */
function tbsFields(der: Uint8Array, dump: string): Uint8Array[] {
  const elements = dump.split('\n').flatMap((line) => {
    const m = /^\s*(\d+):d=(\d+)\s+hl=(\d+)\s+l=\s*(\d+)/.exec(line);
    return m ? [{ offset: Number(m[1]), depth: Number(m[2]), end: Number(m[1]) + Number(m[3]) + Number(m[4]) }] : [];
  });
  const tbs = elements.find((e) => e.depth === 1);
  if (!tbs) throw new Error('no TBSCertificate in the asn1parse output');
  return elements.filter((e) => e.depth === 2 && e.offset < tbs.end).map((e) => der.subarray(e.offset, e.end));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-cert-test-'));
  ca = await createTestCa();
  utf8Cert = await ca.issue({ commonName: 'Nguyễn Văn Ánh', organisation: 'Sở Tư pháp', keyType: 'ec-p256' });
  const utf8Path = path.join(dir, 'utf8.der');
  await writeFile(utf8Path, utf8Cert.certDer);
  utf8Dump = await asn1parse(utf8Path);

  const config = path.join(dir, 'bmp.cnf');
  await writeFile(config, ['[req]', 'distinguished_name = dn', 'string_mask = default', 'prompt = no', '[dn]', '[ext]', 'keyUsage = critical, nonRepudiation', 'subjectKeyIdentifier = hash', ''].join('\n'));
  const bmpPath = path.join(dir, 'bmp.der');
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', path.join(dir, 'bmp.key'),
    '-outform', 'DER', '-out', bmpPath, '-days', '2', '-utf8', '-config', config, '-extensions', 'ext', '-multivalue-rdn',
    // 0x80…: DER adds a leading zero byte to keep the INTEGER positive.
    '-set_serial', '0x80aa01', '-subj', '/C=VN/O=UBND xã Demo/CN=Bộ phận Một cửa+serialNumber=123',
  ]);
  bmpDer = new Uint8Array(await readFile(bmpPath));
  bmpDump = await asn1parse(bmpPath);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(ca.dir, { recursive: true, force: true });
});

describe('readCertificate', () => {
  it('decodes a UTF8String Vietnamese CN and O, and names the issuer, most specific RDN first', () => {
    expect(utf8Dump).toContain('UTF8STRING');
    const info = readCertificate(utf8Cert.certDer);
    // The test CA writes CN before O in the file: RFC 4514 text lists the last RDN first.
    expect(info.subject).toBe('O=Sở Tư pháp, CN=Nguyễn Văn Ánh');
    expect(info.subjectCommonName).toBe('Nguyễn Văn Ánh');
    expect(info.subjectOrganisation).toBe('Sở Tư pháp');
    expect(info.issuer).toBe(readCertificate(ca.rootDer).subject);
    expect(info.serialNumber).toBe(utf8Cert.serialHex.replace(/^(00)+(?=.)/, ''));
    expect(info.keyAlgorithm).toBe('ec');
    expect(info.keyUsage).toEqual({ digitalSignature: true, nonRepudiation: true, keyCertSign: false });
  });

  it('decodes a BMPString CN, a T61String O and a multi-valued RDN', () => {
    expect(bmpDump).toMatch(/BMPSTRING/);
    expect(bmpDump).toMatch(/T61STRING/);
    const info = readCertificate(bmpDer);
    expect(info.subject).toBe('serialNumber=123+CN=Bộ phận Một cửa, O=UBND xã Demo, C=VN');
    expect(info.issuer).toBe(info.subject);
    expect(info.subjectCommonName).toBe('Bộ phận Một cửa');
    expect(info.issuerCommonName).toBe('Bộ phận Một cửa');
    expect(info.subjectOrganisation).toBe('UBND xã Demo');
    expect(info.serialNumber).toBe('80aa01');
    expect(info.keyUsage).toEqual({ digitalSignature: false, nonRepudiation: true, keyCertSign: false });
    expect(info.subjectKeyIdentifier).toMatch(/^[0-9a-f]{40}$/);
    expect(info.notAfter.getTime() - info.notBefore.getTime()).toBe(2 * 86_400_000);
  });

  it('gives the issuer and subject Names and the serial INTEGER byte for byte as in the file', () => {
    for (const [der, dump] of [
      [utf8Cert.certDer, utf8Dump],
      [bmpDer, bmpDump],
    ] as const) {
      // v3: [0] version, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, [3] extensions
      const [, serial, , issuer, , subject] = tbsFields(der, dump);
      const info = readCertificate(der);
      expect(Buffer.from(info.serialDer).equals(Buffer.from(serial ?? []))).toBe(true);
      expect(Buffer.from(info.issuerNameDer).equals(Buffer.from(issuer ?? []))).toBe(true);
      expect(Buffer.from(info.subjectNameDer).equals(Buffer.from(subject ?? []))).toBe(true);
    }
    expect(Buffer.from(readCertificate(bmpDer).serialDer).toString('hex')).toBe('02040080aa01');
  });

  it('is what parseX509 reports as info', () => {
    expect(parseX509(bmpDer).info).toEqual(readCertificate(bmpDer));
    expect(parseX509(utf8Cert.certDer).info).toEqual(readCertificate(utf8Cert.certDer));
  });

  it('refuses anything but exactly one certificate with the same error', () => {
    const inputs = [new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), new Uint8Array([1, 2, 3]), new Uint8Array(), new Uint8Array([...bmpDer, 0]), bmpDer.subarray(0, 100)];
    for (const input of inputs) expect(() => readCertificate(input)).toThrowError(new Error('Not an X.509 certificate'));
  });
});
