/**
 * Electron hardening decided as plain functions (issue 16 item 2), beside the existing security rules: no menu
 * and no DevTools in an installed counter unless IT asked for diagnostics; refused IPC senders are written down
 * without their payload and without flooding the log; `<app> --cli …` runs the CLI instead of the app.
 */
import { describe, expect, it } from 'vitest';
import { launchModeFrom } from '../../../electron/services/launch-mode';
import { createSenderRefusalLog } from '../../../electron/services/security/sender-refusals';
import { applicationMenuFor, devToolsAllowed, diagnosticsRequested, webPreferencesFor } from '../../../electron/services/security/window-policy';

describe('window policy', () => {
  const installed = { packaged: true, diagnostics: false };

  it('an installed counter has no application menu and no DevTools', () => {
    expect(applicationMenuFor(installed)).toBe('none');
    expect(devToolsAllowed(installed)).toBe(false);
    expect(webPreferencesFor(installed, '/app/preload.cjs')).toMatchObject({ devTools: false, contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webviewTag: false, webSecurity: true });
  });

  it('diagnostics set by IT for one launch bring DevTools and the menu back; development always has them', () => {
    expect(webPreferencesFor({ packaged: true, diagnostics: true }, '/p').devTools).toBe(true);
    expect(applicationMenuFor({ packaged: true, diagnostics: true })).toBe('electron-default');
    expect(webPreferencesFor({ packaged: false, diagnostics: false }, '/p').devTools).toBe(true);
    // The sandbox does not loosen with diagnostics.
    expect(webPreferencesFor({ packaged: true, diagnostics: true }, '/p')).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
  });

  it('only MOTCUA_DIAGNOSTICS=1 asks for diagnostics', () => {
    expect(diagnosticsRequested({ MOTCUA_DIAGNOSTICS: '1' })).toBe(true);
    for (const value of [undefined, '', '0', 'false', 'true', 'yes', ' 1']) expect(diagnosticsRequested({ MOTCUA_DIAGNOSTICS: value })).toBe(false);
  });
});

describe('refused IPC senders', () => {
  it('writes the channel and the sender origin only, never the path or query of a foreign page', () => {
    const lines: string[] = [];
    const log = createSenderRefusalLog({ write: (l) => lines.push(l), now: () => new Date('2026-12-06T10:00:00Z') });
    log({ channel: 'signer:sign-digest', url: 'https://evil.example/steal?cccd=001190012345#x', isTopFrame: false });
    log({ channel: 'config:get', url: null, isTopFrame: false });
    log({ channel: 'config:get', url: 'app://motcua/index.html', isTopFrame: false });
    expect(lines).toEqual([
      '2026-12-06T10:00:00.000Z ipc-refused channel=signer:sign-digest sender=https://evil.example frame=sub',
      '2026-12-06T10:00:00.000Z ipc-refused channel=config:get sender=(không còn khung gửi) frame=sub',
      '2026-12-06T10:00:00.000Z ipc-refused channel=config:get sender=app://motcua frame=sub',
    ]);
    expect(lines.join('\n')).not.toContain('001190012345');
  });

  it('writes at most N lines a minute and then says how many it left out', () => {
    const lines: string[] = [];
    let now = Date.parse('2026-12-06T10:00:00Z');
    const log = createSenderRefusalLog({ write: (l) => lines.push(l), now: () => new Date(now), maxLinesPerMinute: 3 });
    for (let i = 0; i < 100; i++) log({ channel: 'queue:list', url: 'https://evil.example/', isTopFrame: true });
    expect(lines).toHaveLength(3);
    now += 61_000;
    log({ channel: 'queue:list', url: 'https://evil.example/', isTopFrame: true });
    expect(lines).toHaveLength(5);
    expect(lines[3]).toContain('97');
    expect(lines[4]).toContain('ipc-refused channel=queue:list');
  });
});

describe('launch mode', () => {
  it('is the app unless --cli is given', () => {
    expect(launchModeFrom(['C:\\Program\\Motcua Kiosk.exe'])).toEqual({ kind: 'app' });
    expect(launchModeFrom(['/usr/bin/electron', '.'])).toEqual({ kind: 'app' });
  });

  it('hands everything after --cli to the CLI, after Chromium switches or the development app folder', () => {
    expect(launchModeFrom(['Motcua Kiosk.exe', '--cli', 'enroll', '--central', 'https://c.example', '--code', 'ABCD'])).toEqual({ kind: 'cli', args: ['enroll', '--central', 'https://c.example', '--code', 'ABCD'] });
    expect(launchModeFrom(['electron', '.', '--lang=vi', '--cli', 'calendar', '2026'])).toEqual({ kind: 'cli', args: ['calendar', '2026'] });
    // motcua.cmd: `--cli -- %*`, so Chromium stops reading switches; a later `--` belongs to the command.
    expect(launchModeFrom(['Motcua Kiosk.exe', '--cli', '--', 'verify', 'a.pdf', '--', 'x'])).toEqual({ kind: 'cli', args: ['verify', 'a.pdf', '--', 'x'] });
    expect(launchModeFrom(['Motcua Kiosk.exe', '--cli'])).toEqual({ kind: 'cli', args: [] });
  });

  it('never reads the executable path as the switch', () => {
    expect(launchModeFrom(['--cli'])).toEqual({ kind: 'app' });
  });
});
