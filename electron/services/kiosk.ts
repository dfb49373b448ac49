/**
 * Kiosk mode for a dedicated counter PC (issue 16 item 8): the window covers the screen, cannot be closed,
 * minimised or left, no other window opens, and the app quits only after IT types the exit PIN. The PIN is
 * stored as an scrypt hash in `config.json` (`kiosk.exitPinHash`, made by `motcua kiosk-pin`), never in clear.
 * Pure policy here, tested in Node; electron/main applies it to the window and the quit events.
 *
 * This is the app's own half. The other half is Windows': Shell Launcher runs the app instead of Explorer for the
 * counter account (docs/deployment.md "Chế độ kiosk"). Assigned Access's single-app kiosk takes only UWP apps and
 * Microsoft Edge, not a Win32 app such as this one.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';

/** `scrypt$N$r$p$<salt base64>$<hash base64>`. */
const pinHashPattern = /^scrypt\$(\d{4,7})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9+/]{22,}={0,2})\$([A-Za-z0-9+/]{43,}={0,2})$/;

export const kioskConfigSchema = z
  .object({
    /** Full screen, no close/minimise, no other windows, quit only with the exit PIN. */
    enabled: z.boolean(),
    /** The exit PIN's scrypt hash (`motcua kiosk-pin`); required when enabled. */
    exitPinHash: z.string().regex(pinHashPattern, 'không phải mã băm scrypt của `motcua kiosk-pin`').optional(),
  })
  .strict()
  .refine((k) => !k.enabled || k.exitPinHash !== undefined, { message: 'kiosk.enabled cần kiosk.exitPinHash (motcua kiosk-pin)', path: ['exitPinHash'] })
  .optional();
export type KioskConfig = z.output<typeof kioskConfigSchema>;

/** 6 to 12 digits: typed on a counter keyboard, long enough that 5 tries then a pause make guessing useless. */
export const kioskPinPattern = /^\d{6,12}$/;

/** scrypt cost: N = 2^15 (≈ 30 ms, 32 MiB), as OWASP's minimum for scrypt; r = 8, p = 1. */
const cost = { N: 32_768, r: 8, p: 1 } as const;
const keyLength = 32;

function scrypt(password: string, salt: Buffer, params: { readonly N: number; readonly r: number; readonly p: number }): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is exactly that for N = 2^15, r = 8, so give it room.
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashKioskPin(pin: string, salt: Buffer = randomBytes(16)): Promise<string> {
  if (!kioskPinPattern.test(pin)) throw new RangeError('Mã PIN thoát kiosk phải gồm 6–12 chữ số (the kiosk exit PIN must be 6–12 digits)');
  const key = await scrypt(pin, salt, cost);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyKioskPin(pin: string, stored: string): Promise<boolean> {
  const match = pinHashPattern.exec(stored);
  if (!match || !kioskPinPattern.test(pin)) return false;
  const [, n = '', r = '', p = '', salt = '', hash = ''] = match;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  // A hash edited to a huge cost must not stall main: only the costs this module writes are accepted.
  if (params.N !== cost.N || params.r !== cost.r || params.p !== cost.p) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(pin, Buffer.from(salt, 'base64'), params);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** What the window looks like in kiosk mode (merged into the BrowserWindow options by main). */
export function kioskWindowOptions(kiosk: KioskConfig) {
  if (!kiosk?.enabled) return {};
  return { kiosk: true, fullscreen: true, closable: false, minimizable: false, maximizable: false, resizable: false, movable: false, skipTaskbar: false } as const;
}

/**
 * When the app may quit. Without kiosk mode: always. With it: only within `graceMs` after the right PIN; five
 * wrong PINs lock the gate for `lockoutMs` (the PIN space is a million codes at least).
 */
export class KioskExitGate {
  readonly #kiosk: KioskConfig;
  readonly #now: () => number;
  readonly #graceMs: number;
  readonly #lockoutMs: number;
  #unlockedAt = Number.NEGATIVE_INFINITY;
  #failures = 0;
  #lockedUntil = Number.NEGATIVE_INFINITY;

  constructor(kiosk: KioskConfig, opts: { now?: () => number; graceMs?: number; lockoutMs?: number } = {}) {
    this.#kiosk = kiosk;
    this.#now = opts.now ?? Date.now;
    this.#graceMs = opts.graceMs ?? 30_000;
    this.#lockoutMs = opts.lockoutMs ?? 5 * 60_000;
  }

  get enabled(): boolean {
    return this.#kiosk?.enabled === true;
  }

  /** May the window close / the app quit now? */
  quitAllowed(): boolean {
    if (!this.enabled) return true;
    return this.#now() - this.#unlockedAt <= this.#graceMs;
  }

  /** Checks an exit PIN; `locked` while five wrong ones are being waited out. */
  async tryPin(pin: string): Promise<'unlocked' | 'wrong' | 'locked'> {
    if (!this.enabled) return 'unlocked';
    const now = this.#now();
    if (now < this.#lockedUntil) return 'locked';
    const ok = await verifyKioskPin(pin, this.#kiosk?.exitPinHash ?? '');
    if (ok) {
      this.#failures = 0;
      this.#unlockedAt = this.#now();
      return 'unlocked';
    }
    this.#failures += 1;
    if (this.#failures >= 5) {
      this.#failures = 0;
      this.#lockedUntil = now + this.#lockoutMs;
      return 'locked';
    }
    return 'wrong';
  }
}

/** A key as Electron's `before-input-event` reports it (the fields this module reads). */
export interface KioskKeyInput {
  readonly type: string;
  readonly key: string;
  readonly control: boolean;
  readonly alt: boolean;
  readonly shift: boolean;
  readonly meta: boolean;
}

/** What main does with one key: keep it from the page, and whether a PIN was just entered. */
export interface KioskKeyOutcome {
  readonly consume: boolean;
  readonly submitted?: string;
}

/**
 * The exit PIN typed blind, like on a PIN pad, with no window and no IPC (kiosk mode allows no other window, and
 * the renderer never sees the PIN): after Ctrl+Alt+Shift+Q, digits go to this collector instead of the page,
 * Backspace erases, Escape cancels, Enter submits; 20 seconds without a key cancels. Main shows the verdict in a
 * message box (docs/deployment.md "Chế độ kiosk").
 */
export class KioskPinEntry {
  readonly #timeoutMs: number;
  #collecting = false;
  #digits = '';
  #lastKeyAt = 0;

  constructor(opts: { timeoutMs?: number } = {}) {
    this.#timeoutMs = opts.timeoutMs ?? 20_000;
  }

  get collecting(): boolean {
    return this.#collecting;
  }

  onKey(input: KioskKeyInput, now: number): KioskKeyOutcome {
    if (input.type !== 'keyDown') return { consume: this.#collecting };
    if (this.#collecting && now - this.#lastKeyAt > this.#timeoutMs) this.#reset();
    if (input.control && input.alt && input.shift && !input.meta && input.key.toLowerCase() === 'q') {
      this.#reset();
      this.#collecting = true;
      this.#lastKeyAt = now;
      return { consume: true };
    }
    if (!this.#collecting) return { consume: false };
    this.#lastKeyAt = now;
    if (/^\d$/.test(input.key) && this.#digits.length < 12) this.#digits += input.key;
    else if (input.key === 'Backspace') this.#digits = this.#digits.slice(0, -1);
    else if (input.key === 'Escape') this.#reset();
    else if (input.key === 'Enter') {
      const submitted = this.#digits;
      this.#reset();
      return { consume: true, submitted };
    }
    // Every other key while collecting is swallowed too: the page must not receive half a PIN.
    return { consume: true };
  }

  #reset(): void {
    this.#collecting = false;
    this.#digits = '';
  }
}
