/**
 * Issue 16: Electron's crash reporter, started once the counter host knows this PC's enrollment and before the
 * window opens (a renderer created earlier would not be watched). The settings are decided in
 * electron/services/diagnostics/crash-reporter-options.ts, tested in Node; this file only applies them.
 */
import { app, crashReporter } from 'electron';
import type { CounterHost } from '../services/counter-host';
import { crashReporterSettings } from '../services/diagnostics/crash-reporter-options';

export async function startCrashReports(host: CounterHost): Promise<void> {
  const session = await host.handlers['device:session']({}).catch(() => null);
  const settings = crashReporterSettings({ session, appVersion: app.getVersion() });
  crashReporter.start({ ...settings, globalExtra: { ...settings.globalExtra } });
}
