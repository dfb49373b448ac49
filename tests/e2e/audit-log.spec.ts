/// <reference lib="dom" />
/**
 * Issue 17, finding 9, end to end in Debian's Chromium: a clerk accepts a dossier; main's audit log holds the
 * key unlock, the signatures and the acceptance, chained; "Đồng bộ ngay" sends it to a real central, which
 * verifies it. Then one entry already synced is edited in the counter's file: the next sync is refused with
 * AUDIT_CHAIN_BROKEN, the central keeps the break, and the sync history (what IT reads) shows it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { parseAuditLines, verifyAuditChain, type AuditEntry } from '../../shared/audit/chain';
import { deviceRecordSchema } from '../../shared/sync/protocol';
import { adminCall, startCentralProcess, type CentralProcess } from '../support/central-process';
import { onePagePdf, shot } from '../support/e2e';
import { fillDossier, unlockAndAccept } from '../support/e2e-intake';
import { a4Pixels, makeJpeg } from '../support/images';
import { getTestPki } from '../support/pki';
import { startWebHostProcess, type WebHostProcess } from '../support/web-host-process';
import { pathFor } from '../../shared/sync/api-contract';

test.describe('audit log, counter to central', () => {
  let central: CentralProcess | undefined;
  let host: WebHostProcess | undefined;

  test.afterEach(async () => {
    await host?.stop();
    await central?.stop();
  });

  test('an acceptance is logged and verified at the central; an edit of a synced entry is caught there', async ({ page }) => {
    const pki = await getTestPki();
    central = await startCentralProcess();
    host = await startWebHostProcess({ centralUrl: central.url, enroll: { adminToken: central.adminToken }, signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir });
    const self = await fetch(new URL(pathFor('deviceSelf'), central.url), { headers: { authorization: `Bearer ${host.credential ?? ''}` } });
    const { deviceId } = deviceRecordSchema.parse(await self.json());
    const logFile = path.join(host.dataDir, 'audit-log.jsonl');

    await page.goto(host.url);
    const a4 = a4Pixels(200);
    await fillDossier(page, {
      'KS-01': [{ name: 'to-khai.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(await makeJpeg({ ...a4, dpi: 200, seed: 9 })) }],
      'KS-02': [{ name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Giay chung sinh') }],
    });
    await unlockAndAccept(page);

    // Main's file: the chain verifies, the acceptance is the last action, nothing of the applicant is in it.
    await expect.poll(async () => parseAuditLines(await readFile(logFile, 'utf8').catch(() => '')).some((l) => (l as AuditEntry).action === 'dossier-accepted')).toBe(true);
    const lines = parseAuditLines(await readFile(logFile, 'utf8'));
    expect(verifyAuditChain(lines)).toMatchObject({ ok: true });
    const actions = (lines as AuditEntry[]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['config-changed', 'key-unlocked', 'signing-session-opened', 'digest-signed', 'signing-session-closed', 'dossier-accepted']));

    const indicator = page.getByTestId('sync-indicator');
    const row = page.locator('table.queue tbody tr');
    await page.keyboard.press('Alt+2');
    await indicator.getByRole('button', { name: 'Đồng bộ ngay' }).click();
    await expect(row).toHaveAttribute('data-state', 'acknowledged', { timeout: 60_000 });
    const auditState = async () => (await adminCall(central as CentralProcess, 'GET', pathFor('adminAuditDevice', { deviceId }))).body as { entries: number; breaks: { seq: number; reason: string }[] };
    await expect.poll(async () => (await auditState()).entries, { timeout: 30_000 }).toBeGreaterThanOrEqual(lines.length);
    expect((await auditState()).breaks).toEqual([]);

    // Someone edits the acceptance entry in the file (already at the central); the next pass sends it again.
    const text = await readFile(logFile, 'utf8');
    const accepted = (lines as AuditEntry[]).find((e) => e.action === 'dossier-accepted') as AuditEntry & { details: { files: number } };
    await writeFile(logFile, text.replace(JSON.stringify(accepted), JSON.stringify({ ...accepted, details: { ...accepted.details, files: accepted.details.files + 1 } })));
    await indicator.getByRole('button', { name: 'Đồng bộ ngay' }).click();
    await expect.poll(async () => (await auditState()).breaks, { timeout: 30_000 }).toEqual([expect.objectContaining({ seq: accepted.seq, reason: 'edited-after-sync' })]);

    await page.keyboard.press('Alt+6');
    const history = page.getByTestId('sync-history');
    const failure = history.locator('tr[data-event="pull:audit-log:failed"]').first();
    await expect(failure).toBeVisible({ timeout: 30_000 });
    await expect(failure).toContainText('AUDIT_CHAIN_BROKEN');
    await shot(page, 'audit-01-nhat-ky-bi-sua');
  });
});
