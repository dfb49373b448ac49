/**
 * Reference data from the real central: catalog, calendar and trust anchors, versioned with ETags (304 when
 * unchanged), replaced by the back office only with valid data, and kept across a restart.
 */
import { readFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledCatalog } from '../../shared/domain/catalog-demo';
import { procedureSchema } from '../../shared/domain/procedure';
import { builtInOfficialCalendars, parseYearCalendars } from '../../shared/domain/working-calendar';
import { centralErrorSchema, referenceDocumentSchema, type ReferenceKind } from '../../shared/sync/protocol';
import { adminCall, centralFetch, startCentralProcess, type CentralProcess } from '../support/central-process';
import { getTestPki } from '../support/pki';
import { pathFor } from '../../shared/sync/api-contract';

let central: CentralProcess;

beforeAll(async () => {
  central = await startCentralProcess();
});

afterAll(async () => {
  await central?.stop();
});

async function getReference(kind: ReferenceKind, etag?: string) {
  const res = await centralFetch(central, pathFor('reference', { kind }), { headers: etag ? { 'if-none-match': etag } : {} });
  return { res, doc: res.status === 200 ? referenceDocumentSchema.parse(await res.json()) : undefined };
}

describe('reference data', () => {
  it('serves the bundled catalog, the built-in calendar and the trust anchors, each with a version and an ETag', async () => {
    const catalog = await getReference('catalog');
    expect(catalog.res.status).toBe(200);
    expect(catalog.res.headers.get('etag')).toBe(`"${catalog.doc?.version}"`);
    const procedures = procedureSchema.array().parse(catalog.doc?.data);
    expect(procedures.map((p) => p.code)).toEqual(bundledCatalog.map((p) => p.code));

    const calendar = await getReference('calendar');
    expect(parseYearCalendars(calendar.doc?.data)).toEqual(builtInOfficialCalendars);

    const trust = await getReference('trust-anchors');
    const ders = (trust.doc?.data as { certificatesDerBase64: string[] }).certificatesDerBase64;
    const rootPem = await readFile((await getTestPki()).rootCaPemPath, 'utf8');
    expect(ders.map((d) => new X509Certificate(Buffer.from(d, 'base64')).fingerprint256)).toEqual([new X509Certificate(rootPem).fingerprint256]);
  });

  it('answers 304 to If-None-Match with the current version', async () => {
    const first = await getReference('calendar');
    const etag = first.res.headers.get('etag') ?? '';
    const again = await getReference('calendar', etag);
    expect(again.res.status).toBe(304);
    const stale = await getReference('calendar', '"0000"');
    expect(stale.res.status).toBe(200);
  });

  it('keeps the last good copy when the back office sends malformed data, and serves a valid replacement after a restart', { timeout: 120_000 }, async () => {
    const before = await getReference('catalog');

    const malformed = await adminCall(central, 'PUT', pathFor('adminReference', { kind: 'catalog' }), [{ code: 'not-a-code', name: '' }]);
    expect(malformed.status).toBe(400);
    expect(centralErrorSchema.parse(malformed.body)).toMatchObject({ error: 'REFERENCE_DATA_INVALID', details: { kind: 'catalog' } });
    const badCalendar = await adminCall(central, 'PUT', pathFor('adminReference', { kind: 'calendar' }), { year: 2027, source: 'x', daysOff: [{ date: '2027-02-30', reason: 'x' }] });
    expect(badCalendar.status).toBe(400);
    expect((await getReference('catalog')).doc?.version).toBe(before.doc?.version);

    const unauthorised = await fetch(new URL(pathFor('adminReference', { kind: 'catalog' }), central.url), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '[]' });
    expect(unauthorised.status).toBe(401);

    const smaller = bundledCatalog.slice(0, 3);
    const replaced = await adminCall(central, 'PUT', pathFor('adminReference', { kind: 'catalog' }), smaller);
    expect(replaced.status).toBe(200);
    const after = await getReference('catalog', before.res.headers.get('etag') ?? '');
    expect(after.res.status).toBe(200);
    expect(after.doc?.version).not.toBe(before.doc?.version);
    expect((after.doc?.data as unknown[]).length).toBe(3);

    await central.restart();
    const restarted = await getReference('catalog');
    expect(restarted.doc?.version).toBe(after.doc?.version);
  });
});
