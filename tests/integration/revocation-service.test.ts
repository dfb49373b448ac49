/**
 * The revocation service against real peers: OpenSSL's OCSP responder (delegated EC responder and the CA
 * key itself) and a CRL published over HTTP, then offline with the servers stopped. The servers run on
 * 127.0.0.1 at a random port, so every service here is given the lab fetch policy explicitly (the
 * production policy refuses loopback and non-standard ports: revocation-fetch-ssrf.test.ts).
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RevocationService } from '../../electron/services/signing/revocation';
import { loadTrustAnchors } from '../../electron/services/signing/trust-store';
import { revocationEvidenceSchema } from '../../shared/cms/revocation-evidence';
import { startRevocationServers, type RevocationServers } from '../support/revocation-servers';
import { createTestCa, type IssuedCert, type TestCa } from '../support/test-ca';

const HOUR = 3_600_000;
const policy = { maxRevocationAgeMs: 24 * HOUR, requireRevocation: true };
let lab: { allowPrivateNetworks: true; allowedPorts: number[] };

let ca: TestCa;
let servers: RevocationServers;
let caSigned: RevocationServers;
let dataDir: string;
let anchorsDir: string;
let ocspCert: IssuedCert;
let caOcspCert: IssuedCert;
let crlOnlyCert: IssuedCert;
let anchors: readonly Uint8Array[];

beforeAll(async () => {
  ca = await createTestCa();
  // One at a time: `openssl ca` updates the CA's index and serial files.
  servers = await startRevocationServers(ca, { ocspSigner: 'delegated', responderKeyType: 'ec-p256' });
  caSigned = await startRevocationServers(ca, { ocspSigner: 'ca' });
  ocspCert = await ca.issue({ commonName: 'Cán bộ một cửa', crlUrl: servers.crlUrl, ocspUrl: servers.ocspUrl });
  caOcspCert = await ca.issue({ commonName: 'Ký bởi CA', ocspUrl: caSigned.ocspUrl });
  crlOnlyCert = await ca.issue({ commonName: 'Chỉ có CRL', keyType: 'ec-p384', crlUrl: servers.crlUrl });
  servers.publishCrl(await ca.crl());
  lab = { allowPrivateNetworks: true, allowedPorts: [servers, caSigned].map((s) => Number(new URL(s.crlUrl).port)) };
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'motcua-revocation-'));
  anchorsDir = await mkdtemp(path.join(os.tmpdir(), 'motcua-anchors-'));
  await writeFile(path.join(anchorsDir, 'root.der'), ca.rootDer);
  await writeFile(path.join(anchorsDir, 'notes.pem'), 'not a certificate');
  ({ anchorsDer: anchors } = await loadTrustAnchors(anchorsDir));
});

afterAll(async () => {
  await Promise.all([servers.stop(), caSigned.stop()]);
  await Promise.all([ca.dir, dataDir, anchorsDir].map((d) => rm(d, { recursive: true, force: true })));
});

describe('RevocationService', () => {
  it('trust store: loads the anchor from the configured directory and lists what it skipped', async () => {
    const loaded = await loadTrustAnchors(anchorsDir);
    expect(loaded.subjects).toEqual(['O=Motcua Test, CN=Motcua Test Root CA']);
    expect(loaded.skipped.map((s) => path.basename(s.file))).toEqual(['notes.pem']);
  });

  it('OCSP first: a real OpenSSL answer (delegated EC responder) is verified, cached and makes the check ok', async () => {
    const service = new RevocationService({ dataDir, fetchPolicy: lab });
    const [outcome] = await service.refresh([ocspCert.certDer], anchors);
    expect(outcome?.attempts).toEqual([{ kind: 'ocsp', url: servers.ocspUrl, result: 'stored' }]);
    expect(servers.counts.crl).toBe(0); // OCSP answered: no need for the CRL
    const result = await service.check([ocspCert.certDer], anchors, new Date(), policy);
    expect(result.problems).toEqual([]);
    expect(result.revocation).toMatchObject({ status: 'good', source: 'ocsp' });
    expect(result.revocation.producedAt).toBeDefined();
    const evidence = await service.latestEvidence([ocspCert.certDer]);
    expect(evidence.map((e) => revocationEvidenceSchema.parse(e).kind)).toEqual(['ocsp']);
  });

  it('OCSP answer signed by the CA itself is accepted too', async () => {
    const service = new RevocationService({ dataDir, fetchPolicy: lab });
    await service.refresh([caOcspCert.certDer, ca.rootDer], anchors);
    const result = await service.check([caOcspCert.certDer], anchors, new Date(), policy);
    expect(result.problems).toEqual([]);
    expect(result.revocation.source).toBe('ocsp');
  });

  it('no OCSP address: the CRL is fetched; after a revocation and a new CRL → CERT_REVOKED', async () => {
    const service = new RevocationService({ dataDir, fetchPolicy: lab });
    await service.refresh([crlOnlyCert.certDer], anchors);
    expect((await service.check([crlOnlyCert.certDer], anchors, new Date(), policy)).revocation).toMatchObject({ status: 'good', source: 'crl' });

    await ca.revoke(crlOnlyCert, 'superseded');
    servers.publishCrl(await ca.crl());
    const [outcome] = await service.refresh([crlOnlyCert.certDer], anchors);
    expect(outcome?.stored?.kind).toBe('crl');
    const result = await service.check([crlOnlyCert.certDer], anchors, new Date(), policy);
    expect(result.problems.map((p) => p.code)).toEqual(['CERT_REVOKED']);
    expect(result.problems[0]?.details).toMatchObject({ reason: 'superseded', source: 'crl' });
  });

  it('OCSP revoked through the real responder → CERT_REVOKED', async () => {
    const victim = await ca.issue({ commonName: 'Bị thu hồi', ocspUrl: servers.ocspUrl, crlUrl: servers.crlUrl });
    await ca.revoke(victim, 'keyCompromise');
    const service = new RevocationService({ dataDir, fetchPolicy: lab });
    await service.refresh([victim.certDer], anchors);
    const result = await service.check([victim.certDer], anchors, new Date(), policy);
    expect(result.revocation).toMatchObject({ status: 'revoked', source: 'ocsp' });
    expect(result.problems.map((p) => p.code)).toEqual(['CERT_REVOKED']);
    expect(result.problems[0]?.details.reason).toBe('keyCompromise');
  });

  it('a tampered CRL from the network is not cached or used', async () => {
    const fresh = await ca.issue({ commonName: 'CRL bị sửa', crlUrl: servers.crlUrl });
    const crl = await ca.crl();
    const tampered = crl.slice();
    tampered[tampered.length - 3] = (tampered[tampered.length - 3] ?? 0) ^ 0x01;
    servers.publishCrl(tampered);
    const service = new RevocationService({ dataDir, fetchPolicy: lab });
    const [outcome] = await service.refresh([fresh.certDer], anchors);
    expect(outcome?.stored).toBeNull();
    expect(outcome?.attempts[0]?.result).toMatch(/signature/);
    expect(await service.latestEvidence([fresh.certDer])).toEqual([]);
    expect((await service.check([fresh.certDer], anchors, new Date(), policy)).problems.map((p) => p.code)).toEqual(['CERT_REVOCATION_UNKNOWN']);
    servers.publishCrl(crl);
  });

  it('offline: servers stopped, a restarted service uses the cached evidence until it is too old', async () => {
    await servers.stop();
    await caSigned.stop();
    const restarted = new RevocationService({ dataDir, fetchPolicy: { ...lab, timeoutMs: 2000 } });
    const [outcome] = await restarted.refresh([ocspCert.certDer], anchors); // never throws for the network
    expect(outcome?.stored).toBeNull();
    expect(outcome?.attempts.map((a) => a.kind)).toEqual(['ocsp', 'crl']);
    expect(outcome?.attempts.every((a) => a.result.startsWith('network'))).toBe(true);

    const now = await restarted.check([ocspCert.certDer], anchors, new Date(), policy);
    expect(now.ok).toBe(true);
    expect(now.revocation.source).toBe('ocsp');
    const later = await restarted.check([ocspCert.certDer], anchors, new Date(Date.now() + 25 * HOUR), policy);
    expect(later.problems.map((p) => p.code)).toEqual(['CERT_REVOCATION_STALE']);
    expect(later.problems[0]?.details).toMatchObject({ maxAgeHours: 24 });
    expect((await readdir(path.join(dataDir, 'revocation'))).every((name) => name.endsWith('.json'))).toBe(true); // no temp files left
  });
});
