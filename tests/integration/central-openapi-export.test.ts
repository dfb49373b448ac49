/**
 * The central in-process (the real server, its real routes): the API contract (shared/sync/api-contract.ts), the
 * routes fastify registered and the OpenAPI document agree, and the contract's credential is what the server asks; and a dossier exported in the portal's DongBoHoSoMC
 * shape after it went through the back office and back to the applicant.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificatesFromBytes } from '../../central/src/trust';
import { portalDate } from '../../central/src/export';
import { dongBoHoSoMCSchema } from '../../shared/sync/portal-export';
import { startCentral, type RunningCentral } from '../../central/src/server';
import { sha256Hex } from '../../shared/util/bytes';
import { adminCall, centralFetch, enrollTestDevice, makeCommit, makePdf, makeSignedPdf, putCommit, tusUpload } from '../support/central-process';
import { getTestPki } from '../support/pki';
import { centralApi, pathFor, uploadsPrefix, type CentralRouteId, type RouteContract } from '../../shared/sync/api-contract';
import { tusRouteId } from '../../central/src/routes';

let central: RunningCentral;
let dataDir: string;
let target: { url: string; adminToken: string; credential: string };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'motcua-central-inproc-'));
  const pki = await getTestPki();
  const trustAnchorsDer = certificatesFromBytes(new Uint8Array(await readFile(pki.rootCaPemPath)), pki.rootCaPemPath);
  // faultControl: the test-only routes are registered too, so every contract route is served.
  central = await startCentral({ dataDir, trustAnchorsDer, logLevel: 'silent', adminToken: `test-admin-${randomUUID()}`, faultControl: true });
  const base = { url: central.url, adminToken: central.adminToken.token };
  target = { ...base, credential: (await enrollTestDevice(base)).credential };
});

afterAll(async () => {
  await central?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('API contract, registered routes and OpenAPI document', () => {
  const contractIds = Object.keys(centralApi) as CentralRouteId[];
  // Widened to the entry type: optional fields (servedBy, body) readable on any entry.
  const contractOf = (id: string): RouteContract => centralApi[id as CentralRouteId];
  const key = (method: string, path: string) => `${method} ${path.replace(/:([A-Za-z0-9]+)/g, '{$1}')}`;

  it('registers exactly the contract: every route carries its contract id, method and path', () => {
    const registered = central.routes.filter((r) => r.routeId !== tusRouteId);
    // fastify's HEAD twins of GET routes carry the GET route's id.
    for (const r of registered) {
      const contract = r.routeId ? contractOf(r.routeId) : undefined;
      expect(contract, `${r.method} ${r.path}`).toBeDefined();
      expect(r.path).toBe(contract?.path);
      expect(r.method === contract?.method || (r.method === 'HEAD' && contract?.method === 'GET'), `${r.method} ${r.path}`).toBe(true);
    }
    const servedIds = new Set(registered.map((r) => r.routeId));
    const notServed = contractIds.filter((id) => contractOf(id).servedBy !== 'tus' && !servedIds.has(id));
    expect(notServed).toEqual([]);
    // The tus catch-all sits at the prefix every tus route of the contract begins with.
    const tusPaths = central.routes.filter((r) => r.routeId === tusRouteId).map((r) => r.path);
    expect(new Set(tusPaths)).toEqual(new Set([uploadsPrefix, `${uploadsPrefix}/*`]));
    for (const id of contractIds.filter((i) => contractOf(i).servedBy === 'tus')) expect(centralApi[id].path.startsWith(uploadsPrefix), id).toBe(true);
  });

  it('documents every contract route but the test-only ones, with the request schemas', async () => {
    const res = await fetch(new URL(pathFor('openApi'), central.url));
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> }; security?: unknown[] }>> };
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    const expected = contractIds.filter((id) => contractOf(id).servedBy !== 'test').map((id) => key(centralApi[id].method, centralApi[id].path));
    expect(documented.sort()).toEqual(expected.sort());
    // What fastify really serves (HEAD twins and the tus catch-all aside) is documented, test routes excepted.
    const served = central.routes
      .filter((r) => r.routeId !== tusRouteId && r.method !== 'HEAD' && contractOf(r.routeId ?? '').servedBy !== 'test')
      .map((r) => key(r.method, r.path));
    expect(served.filter((k) => !documented.includes(k))).toEqual([]);

    const commit = doc.paths[key('PUT', centralApi.commitDossier.path).slice('PUT '.length)]?.put;
    expect(commit?.requestBody?.content['application/json']?.schema.required).toEqual(expect.arrayContaining(['protocolVersion', 'id', 'code', 'receivingUnit', 'files']));
    expect(commit?.security).toEqual([{ deviceCredential: [] }]);
    // OpenAPI's form of a parameter with digits in its name (`:sha256` → `{sha256}`).
    expect(Object.keys(doc.paths)).toContain('/api/v1/dossiers/{id}/files/{sha256}'); // eslint-disable-line no-restricted-syntax -- the document's own spelling, checked as written
  });

  it('answers 401 without a credential on every device, admin and crash-token route, as the contract says', async () => {
    const sample: Record<string, string> = { id: randomUUID(), sha256: 'a'.repeat(64), eventId: randomUUID(), kind: 'catalog', deviceId: randomUUID(), uploadId: 'a'.repeat(32), version: '1.0.0', name: 'motcua-setup.exe' };
    const samplePath = (path: string) => path.replace(/:([A-Za-z0-9]+)/g, (_m, name: string) => sample[name] ?? 'x');
    const refused: string[] = [];
    let probed = 0;
    for (const id of contractIds) {
      const contract = contractOf(id);
      if (contract.auth !== 'device' && contract.auth !== 'admin' && contract.auth !== 'crash-token') continue;
      const hasBody = contract.method === 'PUT' || contract.method === 'POST' || contract.method === 'PATCH';
      const headers: Record<string, string> = contract.servedBy === 'tus' ? { 'tus-resumable': '1.0.0' } : hasBody ? { 'content-type': 'application/json' } : {};
      const answer = await fetch(new URL(samplePath(contract.path), central.url), { method: contract.method, headers, ...(hasBody && contract.servedBy !== 'tus' ? { body: '{}' } : {}) });
      await answer.body?.cancel();
      probed++;
      if (answer.status !== 401) refused.push(`${id}: ${answer.status}`);
    }
    expect(refused).toEqual([]);
    expect(probed).toBe(contractIds.filter((id) => ['device', 'admin', 'crash-token'].includes(contractOf(id).auth)).length);
    expect(probed).toBeGreaterThan(30);
  });
});

describe('DongBoHoSoMC export', () => {
  it('exports a returned dossier with portal field names and Vietnam-time dates', { timeout: 60_000 }, async () => {
    const pdf = await makeSignedPdf();
    const id = randomUUID();
    const uploadUrl = await tusUpload(target, pdf, { dossierId: id });
    const receivedAt = '2026-11-23T01:02:03.000Z';
    const appointmentAt = '2026-11-26T09:00:00.000Z';
    const code = '000.00.01.H22-261123-0042';
    const commit = makeCommit(id, [{ bytes: pdf, uploadUrl, componentCode: 'KS-01', name: 'to-khai.pdf' }], {
      code,
      receivedAt,
      appointmentAt,
      decidingAgency: { code: 'H22.01', name: 'Phòng Tư pháp huyện Thử Nghiệm' },
    });
    expect((await putCommit(target, id, commit)).status).toBe(201);

    expect((await adminCall(target, 'POST', pathFor('adminDossierStatus', { id: code }), { status: 4, actor: 'Lê Văn Xử', department: 'Phòng Tư pháp' })).status).toBe(201);
    const result = await makePdf({ text: 'Giay khai sinh' });
    const ready = await adminCall(target, 'POST', pathFor('adminDossierStatus', { id: code }), {
      status: 9,
      actor: 'Lê Văn Xử',
      resultFiles: [{ name: 'giay-khai-sinh.pdf', contentBase64: Buffer.from(result).toString('base64') }],
    });
    expect(ready.status).toBe(201);
    const eventId = randomUUID();
    const returned = await centralFetch(target, pathFor('counterEvent', { id, eventId }), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'result-returned', eventId, at: new Date().toISOString(), clerk: 'Quầy 1', receivedBy: 'Nguyễn Văn An', method: 'post' }),
    });
    expect(returned.status).toBe(201);

    const unauthorised = await fetch(new URL(pathFor('adminDossierExport', { id: code }), central.url));
    expect(unauthorised.status).toBe(401);
    const exported = await adminCall(target, 'GET', pathFor('adminDossierExport', { id: code }));
    expect(exported.status).toBe(200);
    const hoSo = dongBoHoSoMCSchema.parse(exported.body);
    expect(hoSo).toMatchObject({
      MaHoSo: code,
      MaTTHC: '1.001234',
      ChuHoSo: 'Nguyễn Văn An',
      SoGiayToChuHoSo: '001203004567',
      KenhThucHien: '1',
      NgayTiepNhan: '20261123080203',
      NgayHenTra: '20261126160000',
      TrangThaiHoSo: '10',
      HinhThuc: '2',
      DonViXuLy: 'Phòng Tư pháp huyện Thử Nghiệm',
      HoSoCoThanhPhanSoHoa: '1',
      DinhDanhCHS: [{ LoaiDinhDanh: '1', SoDinhDanh: '001203004567' }],
    });
    expect(hoSo.TaiLieuNop).toEqual([
      expect.objectContaining({ TepDinhKemId: sha256Hex(pdf), TenTepDinhKem: 'to-khai.pdf', MaThanhPhanHoSo: 'KS-01', DuocSoHoa: '1' }),
    ]);
    expect(hoSo.DanhSachGiayToKetQua).toEqual([expect.objectContaining({ TenGiayTo: 'giay-khai-sinh.pdf', MaGiayToKetQua: sha256Hex(result) })]);
    expect(hoSo.QuaTrinhXuLy.map((q) => q.TrangThai)).toEqual(['2', '4', '9', '10']);
    expect(hoSo.QuaTrinhXuLy[1]).toMatchObject({ NguoiXuLy: 'Lê Văn Xử', PhongBanXuLy: 'Phòng Tư pháp', NgayKetThucTheoQuyDinh: '20261126160000' });
    expect(hoSo.NgayTra).toMatch(/^\d{14}$/);
    // The file link leads to the same bytes.
    const file = await centralFetch(target, new URL(hoSo.TaiLieuNop[0]?.DuongDanTaiTepTin ?? '').pathname);
    expect(sha256Hex(new Uint8Array(await file.arrayBuffer()))).toBe(sha256Hex(pdf));
  });

  it('formats instants as yyyyMMddHHmmss in Asia/Ho_Chi_Minh', () => {
    expect(portalDate('2026-12-31T17:00:00Z')).toBe('20270101000000');
    expect(portalDate('2026-01-01T00:00:00+07:00')).toBe('20260101000000');
  });
});
