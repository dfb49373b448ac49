/**
 * Command construction and output parsing of the capture sources. WIA (PowerShell/COM) and TWAIN (NAPS2)
 * cannot run on Linux: these tests are all that checks them here. SANE and eSCL also run for real in
 * tests/integration/capture-*.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { parseSaneDeviceList, parseSaneOptions, saneOutcome, saneScanArgs } from '../../../electron/services/capture/sane';
import { esclScanSettingsXml, parseEsclCapabilities, parseEsclStatus, retryAfterMs } from '../../../electron/services/capture/escl';
import { parseWiaLine, powershellArgs, psQuote, wiaError, wiaScanScript } from '../../../electron/services/capture/wia';
import { naps2Failure, naps2ScanArgs, parseNaps2DeviceList } from '../../../electron/services/capture/twain';
import { pickResolution } from '../../../electron/services/capture/source';

// Shaped like `scanimage -A` of a duplex document scanner (fujitsu backend).
const fujitsuOptions = `
All options specific to device \`fujitsu:fi-7160:1234':
  Standard:
    --source ADF Front|ADF Back|ADF Duplex [ADF Front]
        Selects the scan source (such as a document-feeder).
    --mode Lineart|Halftone|Gray|Color [Lineart]
        Selects the scan mode (e.g., lineart, monochrome, or color).
    --resolution 50|75|150|200|300|600dpi [600]
        Sets the resolution of the scanned image.
  Geometry:
    -l 0..215.872mm (in steps of 0.0211639) [0]
    -t 0..355.6mm (in steps of 0.0211639) [0]
    -x 0..215.872mm (in steps of 0.0211639) [215.872]
    -y 0..355.6mm (in steps of 0.0211639) [279.364]
    --page-width 0..465.1mm [inactive]
`;

describe('SANE', () => {
  it('parses the device list and a duplex scanner option listing', () => {
    expect(parseSaneDeviceList('fujitsu:fi-7160:1234|FUJITSU|fi-7160|scanner\ntest:0|Noname|frontend-tester|virtual device\n')).toEqual([
      { name: 'fujitsu:fi-7160:1234', label: 'FUJITSU fi-7160 (scanner)' },
      { name: 'test:0', label: 'Noname frontend-tester (virtual device)' },
    ]);
    const options = parseSaneOptions(fujitsuOptions);
    expect(options).toEqual({
      sources: ['ADF Front', 'ADF Back', 'ADF Duplex'],
      modes: ['Lineart', 'Halftone', 'Gray', 'Color'],
      resolutions: { kind: 'list', values: [50, 75, 150, 200, 300, 600] },
      maxWidthMm: 215.872,
      maxHeightMm: 355.6,
    });
    expect(saneScanArgs('fujitsu:fi-7160:1234', options, { paperSource: 'feeder-duplex', colourMode: 'color', dpi: 250 }, '/tmp/p%04d.jpg')).toEqual([
      '-d', 'fujitsu:fi-7160:1234', '--format=jpeg', '--batch=/tmp/p%04d.jpg', '--batch-print', '--source', 'ADF Duplex', '--mode', 'Color', '--resolution', '300', '-x', '210', '-y', '297',
    ]);
  });

  it('a flatbed batch is always one page; an absent source is refused', () => {
    const options = parseSaneOptions('    --source Flatbed|Automatic Document Feeder [Flatbed]\n    --resolution 1..1200dpi (in steps of 1) [50]\n');
    expect(saneScanArgs('test:0', options, { paperSource: 'flatbed', colourMode: 'gray', dpi: 200 }, 'p%d.jpg')).toContain('--batch-count=1');
    expect(() => saneScanArgs('test:0', options, { paperSource: 'feeder-duplex', colourMode: 'gray', dpi: 200 }, 'p%d.jpg')).toThrow(/CAPTURE_SCANNER_ERROR/);
  });

  it('maps how a batch ended', () => {
    const ok = { code: 0, signal: null };
    expect(saneOutcome(ok, 'scanimage: sane_start: Document feeder out of documents\nBatch terminated, 10 pages scanned', 10, 'd')).toBeNull();
    expect(saneOutcome(ok, 'scanimage: sane_read: Document feeder out of documents', 0, 'd')?.code).toBe('CAPTURE_FEEDER_EMPTY');
    expect(saneOutcome({ code: 6, signal: null }, 'scanimage: sane_read: Document feeder jammed', 3, 'd')?.details).toEqual({ device: 'd', pages: 3 });
    expect(saneOutcome({ code: 9, signal: null }, 'scanimage: sane_read: Error during device I/O', 4, 'd')?.code).toBe('CAPTURE_DEVICE_LOST');
    expect(saneOutcome({ code: null, signal: 'SIGKILL' }, '', 2, 'd')?.code).toBe('CAPTURE_DEVICE_LOST');
    expect(saneOutcome({ code: 1, signal: null }, 'scanimage: open of device x failed: Invalid argument', 0, 'x')?.code).toBe('CAPTURE_DEVICE_NOT_FOUND');
    expect(saneOutcome({ code: 8, signal: null }, 'scanimage: sane_start: Scanner cover is open', 0, 'd')?.code).toBe('CAPTURE_COVER_OPEN');
  });

  it('picks the nearest resolution at or above the wanted one', () => {
    expect(pickResolution([75, 150, 300, 600], 200)).toBe(300);
    expect(pickResolution([75, 150], 200)).toBe(150);
  });
});

describe('eSCL', () => {
  it('parses capabilities and status, and writes ScanSettings with the offered values', () => {
    const caps = parseEsclCapabilities(`<?xml version="1.0"?><scan:ScannerCapabilities xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm">
      <pwg:MakeAndModel>HP LaserJet MFP</pwg:MakeAndModel>
      <scan:Adf><scan:AdfSimplexInputCaps><scan:SettingProfiles><scan:SettingProfile><scan:ColorModes><scan:ColorMode>RGB24</scan:ColorMode></scan:ColorModes>
      <scan:SupportedResolutions><scan:DiscreteResolutions><scan:DiscreteResolution><scan:XResolution>300</scan:XResolution><scan:YResolution>300</scan:YResolution></scan:DiscreteResolution></scan:DiscreteResolutions></scan:SupportedResolutions>
      </scan:SettingProfile></scan:SettingProfiles></scan:AdfSimplexInputCaps>
      <scan:AdfDuplexInputCaps><scan:SettingProfiles><scan:SettingProfile><scan:ColorModes><scan:ColorMode>RGB24</scan:ColorMode><scan:ColorMode>Grayscale8</scan:ColorMode></scan:ColorModes></scan:SettingProfile></scan:SettingProfiles></scan:AdfDuplexInputCaps></scan:Adf>
    </scan:ScannerCapabilities>`);
    expect(caps.makeAndModel).toBe('HP LaserJet MFP');
    expect(caps.platen).toBeNull();
    expect(caps.adfSimplex).toEqual({ colorModes: ['RGB24'], resolutions: [300], formats: [] });
    expect(caps.adfDuplex?.colorModes).toEqual(['RGB24', 'Grayscale8']);
    const xml = esclScanSettingsXml({ paperSource: 'feeder', colourMode: 'color', dpi: 200 }, caps);
    expect(xml).toContain('<pwg:InputSource>Feeder</pwg:InputSource>');
    expect(xml).toContain('<scan:XResolution>300</scan:XResolution>');
    expect(xml).not.toContain('Duplex');
    expect(esclScanSettingsXml({ paperSource: 'feeder-duplex', colourMode: 'gray', dpi: 200 }, caps)).toContain('<scan:Duplex>true</scan:Duplex>');
    expect(parseEsclStatus('<scan:ScannerStatus xmlns:scan="s" xmlns:pwg="p"><pwg:State>Idle</pwg:State><scan:AdfState>ScannerAdfEmpty</scan:AdfState></scan:ScannerStatus>')).toEqual({ state: 'Idle', adfState: 'ScannerAdfEmpty' });
  });

  it('honours Retry-After in seconds or as a date, bounded', () => {
    expect(retryAfterMs('2', 10)).toBe(2000);
    expect(retryAfterMs('120', 10)).toBe(10_000);
    expect(retryAfterMs(new Date(5_000).toUTCString(), 10, 2_000)).toBe(3000);
    expect(retryAfterMs(null, 10)).toBe(1000);
    expect(retryAfterMs('soon', 10)).toBe(1000);
  });
});

describe('WIA (not run here)', () => {
  it('quotes every value as a PowerShell literal and encodes the script', () => {
    expect(psQuote("C:\\Scans\\O'Brien")).toBe("'C:\\Scans\\O''Brien'");
    const script = wiaScanScript("{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0001'; Remove-Item C:\\ -Recurse; '", { paperSource: 'feeder-duplex', colourMode: 'gray', dpi: 300 }, 'C:\\Temp\\x');
    expect(script).toContain("$deviceId = '{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0001''; Remove-Item C:\\ -Recurse; '''");
    expect(script).toContain('Set-Prop $device.Properties 3088 5');
    expect(script).toContain('Set-Prop $item.Properties 6146 2');
    expect(script).toContain('Set-Prop $item.Properties 6147 300');
    const args = powershellArgs('Write-Output "Tiếng Việt"');
    expect(args.slice(0, 5)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
    expect(Buffer.from(args[5] ?? '', 'base64').toString('utf16le')).toBe('Write-Output "Tiếng Việt"');
  });

  it('parses the script output and maps WIA HRESULTs', () => {
    expect(parseWiaLine('DEVICE {"id":"{6BDD}\\\\0001","name":"Canon DR-C225"}')).toEqual({ kind: 'device', id: '{6BDD}\\0001', name: 'Canon DR-C225' });
    expect(parseWiaLine('PAGE C:\\Temp\\page-0001.jpg')).toEqual({ kind: 'page', path: 'C:\\Temp\\page-0001.jpg' });
    expect(parseWiaLine('ERROR 0x80210003 Exception from HRESULT')).toEqual({ kind: 'error', hresult: '0x80210003', message: 'Exception from HRESULT' });
    expect(wiaError('0x80210003', '', 'dev', 0).code).toBe('CAPTURE_FEEDER_EMPTY');
    expect(wiaError('0x80210002', '', 'dev', 4).details).toEqual({ device: 'dev', pages: 4 });
    expect(wiaError('0x8021000A', '', 'dev', 2).code).toBe('CAPTURE_DEVICE_LOST');
    expect(wiaError('0x80004005', 'Unspecified error', 'dev', 0).details).toEqual({ device: 'dev', reason: '0x80004005 Unspecified error' });
  });
});

describe('TWAIN via NAPS2 console (not run here)', () => {
  it('builds the NAPS2 command line and reads its output', () => {
    expect(naps2ScanArgs('Canon DR-C225 TWAIN', { paperSource: 'feeder', colourMode: 'color', dpi: 200 }, '/tmp/out')).toEqual([
      '--noprofile', '--driver', 'twain', '--device', 'Canon DR-C225 TWAIN', '--source', 'feeder', '--dpi', '200', '--bitdepth', 'color', '--pagesize', 'a4', '--jpegquality', '85', '-o', '/tmp/out/page-$(nnnn).jpg', '--force', '--verbose',
    ]);
    expect(parseNaps2DeviceList('Canon DR-C225 TWAIN\r\nWIA-EPSON DS-530\r\n\r\n')).toEqual(['Canon DR-C225 TWAIN', 'WIA-EPSON DS-530']);
    expect(naps2Failure('No scanned pages to export.', 'd', 0)?.code).toBe('CAPTURE_FEEDER_EMPTY');
    expect(naps2Failure('Paper jam', 'd', 3)?.code).toBe('CAPTURE_PAPER_JAM');
    expect(naps2Failure('Scanning page 1...\nScanning page 2...', 'd', 2)).toBeNull();
  });
});
