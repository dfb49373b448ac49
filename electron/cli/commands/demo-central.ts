/**
 * The embedded default central for demos: the reference central in this process, trusting the demo PKI
 * of the counter whose data directory is given, with its own data inside that directory. The counter is
 * enrolled with it automatically (a fresh code through its own admin API), so the demo works out of the box.
 */
import path from 'node:path';
import { adminEnrollmentCodeResponseSchema, centralErrorSchema } from '../../../shared/sync/protocol';
import { startCentral } from '../../../central/src/server';
import { demoConfig, loadHostConfig } from '../../services/config';
import { deviceStillValid, enrollDevice, loadStoredDevice, saveStoredDevice } from '../../services/device';
import { ensureDemoPki } from '../../services/signing/demo-pki';
import { pathFor } from '../../../shared/sync/api-contract';

export async function startDemoCentral(counterDataDir: string): Promise<{ url: string; close(): Promise<void> }> {
  const pki = await ensureDemoPki(path.join(counterDataDir, 'pki'));
  const central = await startCentral({ dataDir: path.join(counterDataDir, 'embedded-central'), trustAnchorsDer: [pki.rootDer], host: '127.0.0.1', port: 0, logLevel: 'warn' });
  try {
    await enrollWithDemoCentral(counterDataDir, central.url, central.adminToken.token);
  } catch (err) {
    await central.close();
    throw err;
  }
  return central;
}

/** Enrolls the counter of `counterDataDir` (its configured unit and counter) unless its credential still works here. */
async function enrollWithDemoCentral(counterDataDir: string, centralUrl: string, adminToken: string): Promise<void> {
  const stored = await loadStoredDevice(counterDataDir).catch(() => undefined);
  // The embedded central listens on a new port each start: the same credential stays valid at the new URL.
  if (stored && (await deviceStillValid({ ...stored, centralUrl }, centralUrl))) {
    if (stored.centralUrl !== centralUrl) await saveStoredDevice(counterDataDir, { ...stored, centralUrl });
    return;
  }
  const config = await loadHostConfig(counterDataDir, () => demoConfig(path.join(counterDataDir, 'pki')));
  const admin = { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` };
  const issue = () => fetch(new URL(pathFor('adminEnrollmentCodes'), centralUrl), { method: 'POST', headers: admin, body: JSON.stringify({ unit: config.unit, counterNo: config.counterNo, validHours: 1 }) });
  let res = await issue();
  if (res.status === 409) {
    // The counter lost its credential (data folder reset) while the demo central kept its enrollment: the
    // central holds one PC per counter number, so the demo revokes its own stale enrollment, as IT would.
    const taken = centralErrorSchema.safeParse(await res.json());
    const holderId = taken.success ? taken.data.details?.['holderId'] : undefined;
    if (typeof holderId === 'string') await fetch(new URL(pathFor('adminRevokeDevice', { deviceId: holderId }), centralUrl), { method: 'POST', headers: { authorization: admin.authorization } });
    res = await issue();
  }
  if (!res.ok) throw new Error(`the embedded central refused an enrollment code: ${res.status} ${await res.text()}`);
  const { enrollmentCode } = adminEnrollmentCodeResponseSchema.parse(await res.json());
  await enrollDevice({ configDir: counterDataDir, centralUrl, enrollmentCode, deviceName: `Quầy ${config.counterNo} (demo)` });
}

