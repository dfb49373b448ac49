/**
 * Device ids come from the renderer. eSCL ids are URLs and WIA ids go into a PowerShell script, so each
 * source accepts only ids it listed itself: an eSCL address that is not a configured scanner is never
 * contacted (a counting HTTP server on 127.0.0.1 proves it), and a WIA id not in WIA's own list never
 * reaches the scan script (a stand-in `powershell` records what it was asked to run).
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureService } from '../../electron/services/capture/capture-service';
import { EsclSource } from '../../electron/services/capture/escl';
import { psQuote, WiaSource } from '../../electron/services/capture/wia';
import type { ScanSettings } from '../../shared/capture/capture';
import { startEsclServer, type EsclTestServer } from '../support/escl-server';

const feeder: ScanSettings = { paperSource: 'feeder', colourMode: 'color', dpi: 200 };
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'motcua-device-ids-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('eSCL: only configured scanners are contacted', () => {
  let scanner: EsclTestServer;
  let other: Server;
  const otherRequests: string[] = [];
  let otherUrl: string;

  beforeAll(async () => {
    scanner = await startEsclServer({ feederPages: 1 });
    other = createServer((req, res) => {
      otherRequests.push(`${req.method ?? '?'} ${req.url ?? '?'}`);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/eSCL`;
  });
  afterAll(async () => {
    await scanner.close();
    other.closeAllConnections();
    await new Promise<void>((resolve) => other.close(() => resolve()));
  });

  it('an eSCL id that is not a configured scanner is refused (CAPTURE_DEVICE_NOT_LISTED) and its address gets no request', async () => {
    const service = new CaptureService([new EsclSource([{ label: 'Máy quét tầng 1', url: scanner.url }], { requestTimeoutMs: 2000 })]);
    const end = await service.runToEnd(`escl:${otherUrl}`, feeder, () => undefined);
    expect(end.error?.code).toBe('CAPTURE_DEVICE_NOT_LISTED');
    expect(otherRequests).toEqual([]);
    // The configured one still scans (a trailing slash is the same scanner).
    let pages = 0;
    const ok = await service.runToEnd(`escl:${scanner.url}/`, feeder, () => void pages++);
    expect(ok.error).toBeUndefined();
    expect(pages).toBe(1);
  });
});

describe('WIA: only ids from WIA’s own device list reach the scan script', () => {
  const listedId = '{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0001';
  let fakePowershell: string;
  let log: string;

  beforeAll(async () => {
    log = path.join(work, 'powershell.log');
    fakePowershell = path.join(work, 'powershell');
    // Decodes -EncodedCommand (UTF-16LE, base64), logs it, and plays a machine with one scanner.
    await writeFile(
      fakePowershell,
      `#!${process.execPath}
const fs = require('node:fs');
const script = Buffer.from(process.argv[process.argv.length - 1], 'base64').toString('utf16le');
fs.appendFileSync(${JSON.stringify(log)}, script + '\\n=====\\n');
if (script.includes('DeviceInfos') && !script.includes('Transfer')) console.log('DEVICE ' + JSON.stringify({ id: ${JSON.stringify(listedId)}, name: 'Canon DR-C225' }));
`,
    );
    await chmod(fakePowershell, 0o755);
  });

  it('psQuote doubles the typographic single quotes PowerShell also ends a literal at', () => {
    expect(psQuote('a\u2019; Remove-Item C:\\ -Recurse; \u2018')).toBe("'a\u2019\u2019; Remove-Item C:\\ -Recurse; \u2018\u2018'");
    expect(psQuote('\u201A\u201B')).toBe("'\u201A\u201A\u201B\u201B'");
  });

  it('a WIA id with U+2019 quotes that WIA never listed is refused before any scan script runs; a listed id is scanned', async () => {
    await writeFile(log, '');
    const service = new CaptureService([new WiaSource(fakePowershell)]);
    const hostile = `${listedId}\u2019; Remove-Item C:\\ -Recurse; \u2018`;
    const refused = await service.runToEnd(`wia:${hostile}`, feeder, () => undefined);
    expect(refused.error?.code).toBe('CAPTURE_DEVICE_NOT_LISTED');
    const ran = (await readFile(log, 'utf8')).split('\n=====\n').filter(Boolean);
    expect(ran).toHaveLength(1); // the device list only
    expect(ran.some((s) => s.includes('Remove-Item') || s.includes('Transfer'))).toBe(false);

    const listed = await service.runToEnd(`wia:${listedId}`, feeder, () => undefined);
    expect(listed.error).toBeUndefined();
    expect((await readFile(log, 'utf8')).includes('Transfer')).toBe(true);
  });
});
