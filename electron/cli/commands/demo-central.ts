/**
 * The embedded default central for demos: the reference central in this process, trusting the demo PKI
 * of the counter whose data directory is given, with its own data inside that directory.
 */
import path from 'node:path';
import { startCentral } from '../../../central/src/server';
import { ensureDemoPki } from '../../services/signing/demo-pki';

export async function startDemoCentral(counterDataDir: string): Promise<{ url: string; close(): Promise<void> }> {
  const pki = await ensureDemoPki(path.join(counterDataDir, 'pki'));
  return startCentral({ dataDir: path.join(counterDataDir, 'embedded-central'), trustAnchorsDer: [pki.rootDer], host: '127.0.0.1', port: 0, logLevel: 'warn' });
}
