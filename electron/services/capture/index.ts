/**
 * The capture sources this counter uses, chosen from configuration at the composition root (not by sniffing
 * inside each source): SANE and the hot folders everywhere, eSCL scanners listed by URL, WIA and TWAIN only
 * on Windows.
 */
import { z } from 'zod';
import { CaptureService } from './capture-service';
import { EsclSource } from './escl';
import { HotFolderSource } from './hot-folder';
import { SaneSource } from './sane';
import type { CaptureSource } from './source';
import type { PageProcessor } from '../imaging/page-processing';
import { TwainSource, defaultNaps2Console } from './twain';
import { WiaSource } from './wia';

export const captureConfigSchema = z
  .object({
    sane: z
      .object({
        enabled: z.boolean().default(true),
        command: z.string().min(1).optional(),
        devices: z.array(z.string().min(1)).optional(),
        /** Backend-specific scanimage options per device (e.g. `{"fujitsu:…": ["--swcrop=yes"]}`), appended as given. */
        deviceOptions: z.record(z.string(), z.array(z.string().regex(/^-/, 'scanimage options start with -').or(z.string()))).optional(),
      })
      .default({ enabled: true }),
    /** Network scanners (eSCL/AirScan) by their eSCL root URL. */
    escl: z.array(z.object({ label: z.string().min(1), url: z.url() })).default([]),
    hotFolders: z
      .array(
        z.object({
          label: z.string().min(1),
          path: z.string().min(1),
          archivePath: z.string().min(1).optional(),
          pollMs: z.number().int().min(50).max(60_000).optional(),
          stablePolls: z.number().int().min(1).max(20).optional(),
        }),
      )
      .default([]),
    /** Windows only. */
    wia: z.object({ enabled: z.boolean().default(true) }).default({ enabled: true }),
    /** Windows only: NAPS2's console, when installed. */
    twain: z.object({ enabled: z.boolean().default(true), naps2Console: z.string().min(1).default(defaultNaps2Console) }).default({ enabled: true, naps2Console: defaultNaps2Console }),
  })
  .default({ sane: { enabled: true }, escl: [], hotFolders: [], wia: { enabled: true }, twain: { enabled: true, naps2Console: defaultNaps2Console } });
export type CaptureConfig = z.output<typeof captureConfigSchema>;

export function captureSources(config: CaptureConfig, platform: NodeJS.Platform = process.platform): CaptureSource[] {
  const sources: CaptureSource[] = [];
  if (config.sane.enabled && platform !== 'win32') sources.push(new SaneSource({ ...(config.sane.command ? { command: config.sane.command } : {}), ...(config.sane.devices ? { devices: config.sane.devices } : {}), ...(config.sane.deviceOptions ? { deviceOptions: config.sane.deviceOptions } : {}) }));
  if (config.escl.length > 0) sources.push(new EsclSource(config.escl));
  if (config.hotFolders.length > 0) sources.push(new HotFolderSource(config.hotFolders));
  if (platform === 'win32' && config.wia.enabled) sources.push(new WiaSource());
  if (platform === 'win32' && config.twain.enabled) sources.push(new TwainSource(config.twain.naps2Console));
  return sources;
}

export function openCaptureService(config: CaptureConfig, processor?: PageProcessor): CaptureService {
  return new CaptureService(captureSources(config), processor);
}

export { CaptureService };
