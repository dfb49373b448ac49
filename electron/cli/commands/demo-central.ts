/**
 * The embedded default central for demos: the reference central in this process, trusting the demo PKI,
 * with its data under `.motcua-data/central`.
 */
import path from 'node:path';
import { startCentral } from '../../../central/src/server';
import { ensureDemoPki } from '../../services/signing/demo-pki';

export async function startDemoCentral(baseDir = path.resolve('.motcua-data')): Promise<{ url: string; close(): Promise<void> }> {
  const pki = await ensureDemoPki(path.join(baseDir, 'counter', 'pki'));
  return startCentral({ dataDir: path.join(baseDir, 'central'), trustAnchorsDer: [pki.rootDer], host: '127.0.0.1', port: 0 });
}
