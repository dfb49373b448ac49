/**
 * Kiosk mode (issue 16 item 8): the exit PIN is stored as an scrypt hash and checked in constant time; the app
 * quits only shortly after the right PIN; five wrong PINs lock the gate; the window options make it full screen
 * and not closable; the configuration refuses kiosk mode without a PIN hash.
 */
import { describe, expect, it } from 'vitest';
import { hostConfigSchema } from '../../../electron/services/config';
import { hashKioskPin, KioskExitGate, KioskPinEntry, kioskWindowOptions, verifyKioskPin } from '../../../electron/services/kiosk';

describe('kiosk exit PIN', () => {
  it('is stored as a salted scrypt hash, never in clear, and only the right PIN matches', async () => {
    const hash = await hashKioskPin('482915');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(hash).not.toContain('482915');
    expect(await hashKioskPin('482915')).not.toBe(hash);
    expect(await verifyKioskPin('482915', hash)).toBe(true);
    expect(await verifyKioskPin('482916', hash)).toBe(false);
    expect(await verifyKioskPin('', hash)).toBe(false);
  });

  it('refuses a PIN that is not 6–12 digits, and a hash edited to another cost', async () => {
    await expect(hashKioskPin('1234')).rejects.toThrow(RangeError);
    await expect(hashKioskPin('abcdef')).rejects.toThrow(RangeError);
    const hash = await hashKioskPin('482915');
    expect(await verifyKioskPin('482915', hash.replace('scrypt$32768$', 'scrypt$1048576$'))).toBe(false);
    expect(await verifyKioskPin('482915', 'plain:482915')).toBe(false);
  });
});

describe('kiosk exit gate', () => {
  it('without kiosk mode the app quits as usual and the window is ordinary', () => {
    expect(new KioskExitGate(undefined).quitAllowed()).toBe(true);
    expect(kioskWindowOptions(undefined)).toEqual({});
    expect(kioskWindowOptions({ enabled: false })).toEqual({});
  });

  it('in kiosk mode: no quit until the right PIN, then only for the grace period', async () => {
    let now = 1_000_000;
    const gate = new KioskExitGate({ enabled: true, exitPinHash: await hashKioskPin('482915') }, { now: () => now, graceMs: 30_000 });
    expect(gate.quitAllowed()).toBe(false);
    expect(await gate.tryPin('000000')).toBe('wrong');
    expect(gate.quitAllowed()).toBe(false);
    expect(await gate.tryPin('482915')).toBe('unlocked');
    expect(gate.quitAllowed()).toBe(true);
    now += 31_000;
    expect(gate.quitAllowed()).toBe(false);
  });

  it('locks for five minutes after five wrong PINs, even against the right one', async () => {
    let now = 1_000_000;
    const gate = new KioskExitGate({ enabled: true, exitPinHash: await hashKioskPin('482915') }, { now: () => now, lockoutMs: 300_000 });
    for (let i = 0; i < 4; i++) expect(await gate.tryPin(`10000${i}`)).toBe('wrong');
    expect(await gate.tryPin('100004')).toBe('locked');
    expect(await gate.tryPin('482915')).toBe('locked');
    now += 300_001;
    expect(await gate.tryPin('482915')).toBe('unlocked');
  });

  it('makes the window full screen, not closable, not minimisable', () => {
    expect(kioskWindowOptions({ enabled: true, exitPinHash: 'x' })).toMatchObject({ kiosk: true, fullscreen: true, closable: false, minimizable: false, resizable: false });
  });
});

describe('kiosk configuration', () => {
  const base = { unit: { code: '000.00.01.H99', name: 'UBND xã Demo' }, organisationName: 'UBND', counterNo: 1, centralUrl: 'https://c.example', locale: 'vi', signers: [{ role: 'organisation', keystore: { kind: 'pkcs12', path: 'a.p12', label: 'a' } }] };

  it('refuses kiosk mode without an exit PIN hash, and a PIN in clear', async () => {
    expect(hostConfigSchema.safeParse({ ...base, kiosk: { enabled: true } }).success).toBe(false);
    expect(hostConfigSchema.safeParse({ ...base, kiosk: { enabled: true, exitPinHash: '482915' } }).success).toBe(false);
    expect(hostConfigSchema.safeParse({ ...base, kiosk: { enabled: true, exitPinHash: await hashKioskPin('482915') } }).success).toBe(true);
    expect(hostConfigSchema.safeParse({ ...base, kiosk: { enabled: false } }).success).toBe(true);
  });
});

describe('kiosk exit PIN entry (typed blind after Ctrl+Alt+Shift+Q)', () => {
  const key = (k: string, mods: Partial<{ control: boolean; alt: boolean; shift: boolean; meta: boolean }> = {}) => ({ type: 'keyDown', key: k, control: false, alt: false, shift: false, meta: false, ...mods });
  const combo = key('Q', { control: true, alt: true, shift: true });

  it('lets keys through to the page until the combination, then keeps the PIN from the page and submits it on Enter', () => {
    const entry = new KioskPinEntry();
    expect(entry.onKey(key('4'), 0)).toEqual({ consume: false });
    expect(entry.onKey(combo, 1)).toEqual({ consume: true });
    for (const [i, d] of [...'4829155'].entries()) expect(entry.onKey(key(d), 2 + i)).toEqual({ consume: true });
    expect(entry.onKey(key('Backspace'), 10)).toEqual({ consume: true });
    expect(entry.onKey(key('a'), 11)).toEqual({ consume: true });
    expect(entry.onKey(key('Enter'), 12)).toEqual({ consume: true, submitted: '482915' });
    expect(entry.collecting).toBe(false);
    expect(entry.onKey(key('Enter'), 13)).toEqual({ consume: false });
  });

  it('cancels on Escape and after 20 seconds without a key', () => {
    const entry = new KioskPinEntry();
    entry.onKey(combo, 0);
    entry.onKey(key('1'), 1);
    entry.onKey(key('Escape'), 2);
    expect(entry.onKey(key('Enter'), 3)).toEqual({ consume: false });
    entry.onKey(combo, 10);
    entry.onKey(key('1'), 11);
    expect(entry.onKey(key('2'), 20_012)).toEqual({ consume: false });
    expect(entry.collecting).toBe(false);
  });

  it('swallows key-up events while collecting', () => {
    const entry = new KioskPinEntry();
    entry.onKey(combo, 0);
    expect(entry.onKey({ ...key('1'), type: 'keyUp' }, 1)).toEqual({ consume: true });
  });
});
