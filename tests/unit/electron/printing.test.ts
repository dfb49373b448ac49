// Main's side of printing (electron/services/printing.ts): where a print goes, what a failure says, and the
// `printing` section of config.json. Electron's webContents is replaced by a recorder with the same two methods.
import { describe, expect, it } from 'vitest';
import { parseHostConfig, publicConfig } from '../../../electron/services/config';
import { printContents, type PrintableContents } from '../../../electron/services/printing';
import { AppError } from '../../../shared/errors';

type PrintOptions = Parameters<PrintableContents['print']>[0];

function contents(answer: [boolean, string], printers: { name: string; displayName: string }[] = []) {
  const calls: PrintOptions[] = [];
  const fake: PrintableContents = {
    print(options, callback) {
      calls.push(options);
      // Electron answers after the job was spooled or the dialog closed: later, not during print().
      setTimeout(() => callback(...answer), 0);
    },
    getPrintersAsync: () => Promise.resolve(printers),
  };
  return { fake, calls };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('printContents', () => {
  it('without a configured printer opens the system dialog, A4 without margins', async () => {
    const { fake, calls } = contents([true, '']);
    expect(await printContents(fake, {})).toEqual({ outcome: 'printed' });
    expect(calls).toEqual([{ silent: false, printBackground: false, pageSize: 'A4', margins: { marginType: 'none' } }]);
  });

  it('a dialog the clerk closed is a cancellation, not an error', async () => {
    expect(await printContents(contents([false, 'Print job canceled']).fake, {})).toEqual({ outcome: 'cancelled' });
    expect(await printContents(contents([false, 'cancelled']).fake, {})).toEqual({ outcome: 'cancelled' });
  });

  it('prints silently to the configured printer, found by its system name or the name shown to people', async () => {
    const printers = [
      { name: 'HP_LaserJet_Quay_1', displayName: 'HP LaserJet (Quầy 1)' },
      { name: 'Microsoft Print to PDF', displayName: 'Microsoft Print to PDF' },
    ];
    const bySystemName = contents([true, ''], printers);
    expect(await printContents(bySystemName.fake, { printerName: 'HP_LaserJet_Quay_1' })).toEqual({ outcome: 'printed', printer: 'HP_LaserJet_Quay_1' });
    expect(bySystemName.calls[0]).toMatchObject({ silent: true, deviceName: 'HP_LaserJet_Quay_1' });
    const byDisplayName = contents([true, ''], printers);
    expect(await printContents(byDisplayName.fake, { printerName: 'HP LaserJet (Quầy 1)' })).toEqual({ outcome: 'printed', printer: 'HP LaserJet (Quầy 1)' });
    expect(byDisplayName.calls[0]).toMatchObject({ silent: true, deviceName: 'HP_LaserJet_Quay_1' });
  });

  it('a configured printer the system does not know is refused before anything is sent', async () => {
    const { fake, calls } = contents([true, ''], [{ name: 'Other', displayName: 'Other' }]);
    const err = await failure(printContents(fake, { printerName: 'HP_LaserJet_Quay_1' }));
    expect(err.code).toBe('PRINTER_NOT_FOUND');
    expect(err.details).toEqual({ printer: 'HP_LaserJet_Quay_1' });
    expect(calls).toEqual([]);
  });

  it('a job the printer refused is PRINT_FAILED with Electron’s reason', async () => {
    const err = await failure(printContents(contents([false, 'Print job failed'], [{ name: 'P', displayName: 'P' }]).fake, { printerName: 'P' }));
    expect(err.code).toBe('PRINT_FAILED');
    expect(err.details).toEqual({ reason: 'Print job failed' });
    expect((await failure(printContents(contents([false, '']).fake, {}))).details).toEqual({ reason: 'unknown' });
  });
});

describe('printing in config.json', () => {
  const base = {
    unit: { code: '000.00.01.H99', name: 'UBND xã Demo' },
    organisationName: 'Ủy ban nhân dân xã Demo',
    counterNo: 1,
    centralUrl: 'http://127.0.0.1:9',
    locale: 'vi',
    signers: [{ role: 'organisation', keystore: { kind: 'pkcs12', path: '/nonexistent/x.p12', label: 'Thử' } }],
  };
  const parse = (extra: Record<string, unknown>) => parseHostConfig('/tmp/config.json', JSON.stringify({ ...base, ...extra }));

  it('is optional (every print opens the dialog) and trims the printer name', () => {
    expect(parse({}).printing).toEqual({});
    expect(parse({ printing: { printerName: '  \\\\may-chu\\HP Quầy 1 ' } }).printing).toEqual({ printerName: '\\\\may-chu\\HP Quầy 1' });
  });

  it('refuses an empty or garbled printer name and unknown keys, naming the field', () => {
    for (const printing of [{ printerName: '   ' }, { printerName: 'HP\nQuầy 1' }, { printerName: 'x'.repeat(257) }, { printer: 'HP' }]) {
      let issue = '';
      try {
        parse({ printing });
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'CONFIG_INVALID') throw err;
        issue = String(err.details.issue);
      }
      expect(issue, JSON.stringify(printing)).toContain('printing');
    }
  });

  it('stays in main: the renderer is not told the printer', () => {
    expect(publicConfig(parse({ printing: { printerName: 'HP' } }))).not.toHaveProperty('printing');
  });
});
