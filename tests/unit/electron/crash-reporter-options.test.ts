/**
 * Issue 16: the crash reporter's settings (electron/services/diagnostics/crash-reporter-options.ts): an enrolled
 * counter uploads to its central with the crash-upload token in the URL — never its credential — and a counter
 * not yet enrolled keeps its dumps on the PC.
 */
import { describe, expect, it } from 'vitest';
import { crashReporterSettings } from '../../../electron/services/diagnostics/crash-reporter-options';
import { crashUploadToken, crashUploadTokenSchema } from '../../../shared/sync/fleet';

const credential = `mcd_${'k'.repeat(43)}`;

describe('crash reporter settings', () => {
  it('uploads to the central’s crash endpoint with the derived token, gzip, rate-limited, never the credential', () => {
    const settings = crashReporterSettings({ session: { centralUrl: 'https://motcua.example.gov.vn/', credential }, appVersion: '1.2.3', deviceId: '4f1c2f1e-8a5b-4c1d-9e2f-0a1b2c3d4e5f' });
    const url = new URL(settings.submitURL);
    expect(url.origin + url.pathname).toBe('https://motcua.example.gov.vn/api/v1/crash-reports');
    expect(url.searchParams.get('token')).toBe(crashUploadToken(credential));
    expect(crashUploadTokenSchema.safeParse(url.searchParams.get('token')).success).toBe(true);
    expect(JSON.stringify(settings)).not.toContain(credential);
    expect(JSON.stringify(settings)).not.toContain(credential.slice(4));
    expect(settings).toMatchObject({ uploadToServer: true, compress: true, rateLimit: true, productName: 'motcua-kiosk', globalExtra: { appVersion: '1.2.3', deviceId: '4f1c2f1e-8a5b-4c1d-9e2f-0a1b2c3d4e5f' } });
  });

  it('keeps dumps on the PC before enrollment', () => {
    const settings = crashReporterSettings({ session: null, appVersion: '1.2.3' });
    expect(settings.uploadToServer).toBe(false);
    expect(settings.submitURL).toBe('');
  });

  it('derives a different token for each credential, and not the credential’s own hash', () => {
    const other = `mcd_${'m'.repeat(43)}`;
    expect(crashUploadToken(credential)).not.toBe(crashUploadToken(other));
    expect(crashUploadToken(credential)).toMatch(/^mcc_[0-9a-f]{64}$/);
  });
});
