/**
 * A signing key on a PKCS#11 token (the USB tokens of Vietnamese CAs), with the same shape as
 * Pkcs12KeyStore: the renderer sends a SHA-256 digest and gets a signature back. The token is found by its
 * label (slot numbers change when a token is plugged into another port), the key by CKA_ID or label, and
 * its certificate by the same CKA_ID. The PIN goes to C_Login in the worker and is not kept.
 *
 * All PKCS#11 calls run in a worker thread (pkcs11-worker.ts): this class is the proxy the app uses.
 */
import { access, constants } from 'node:fs/promises';
import { AppError } from '../../../shared/errors';
import type { CertificateSummary, DigestSignature, PinState, SignerStatus } from '../../../shared/ipc/contract';
import { certificateSummary, orderCertificateChain, readCertificate, type CertificateInfo } from '../../../shared/cms/certificate';
import { checkSigningCertificate } from '../../../shared/cms/certificate-checks';
import type { DigestSigner } from '../../../shared/cms/pades';
import { ecdsaRawToDer, sha256DigestInfo } from './pkcs11-codec';
import { Pkcs11Client } from './pkcs11-client';
import type { LoginResult } from './pkcs11-protocol';

export interface Pkcs11KeyStoreOptions {
  /** Path of the driver library (from findInstalledLibraries or the configuration). */
  readonly library: string;
  readonly tokenLabel: string;
  /** CKA_LABEL of the private key; or keyId. Neither: the token's first key that has a certificate. */
  readonly keyLabel?: string;
  /** CKA_ID of the private key, hex. */
  readonly keyId?: string;
  /** Shown in the UI ("USB token của quầy 1"). */
  readonly label: string;
  /** Clock for certificate validity checks (tests). */
  readonly now?: () => Date;
}

interface Unlocked {
  readonly keyType: 'rsa' | 'ec';
  readonly chainDer: readonly Uint8Array[];
  readonly signer: CertificateInfo;
  readonly summary: CertificateSummary;
}

export class Pkcs11KeyStore implements DigestSigner {
  readonly #opts: Pkcs11KeyStoreOptions;
  readonly #now: () => Date;
  #client: Pkcs11Client | null = null;
  #unlocked: Unlocked | null = null;
  #pinState: PinState | undefined;

  constructor(opts: Pkcs11KeyStoreOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? (() => new Date());
  }

  /** The last known state; pinState as the token reported it at the last call (refreshStatus asks again). */
  status(): SignerStatus {
    const common = { keystoreLabel: this.#opts.label, keystoreKind: 'pkcs11' as const, ...(this.#pinState ? { pinState: this.#pinState } : {}) };
    return this.#unlocked ? { state: 'unlocked', ...common, certificate: this.#unlocked.summary } : { state: 'locked', ...common };
  }

  /** Asks the token for its PIN state (before showing the PIN prompt: "one try left"). */
  async refreshStatus(): Promise<SignerStatus> {
    const client = await this.#acquire();
    try {
      this.#pinState = (await client.call('token-state', { tokenLabel: this.#opts.tokenLabel })).pinState;
    } catch (err) {
      if (err instanceof AppError && err.code === 'SIGNER_TOKEN_ABSENT') this.#unlocked = null;
      throw err;
    }
    return this.status();
  }

  async unlock(pin: string): Promise<SignerStatus> {
    const client = await this.#acquire();
    const { tokenLabel, keyLabel, keyId } = this.#opts;
    let login: LoginResult;
    try {
      login = await client.call('login', { tokenLabel, pin, ...(keyLabel !== undefined ? { keyLabel } : {}), ...(keyId !== undefined ? { keyId } : {}) });
    } catch (err) {
      this.#unlocked = null;
      if (err instanceof AppError) {
        const state = err.details.pinState;
        if (err.code === 'SIGNER_PIN_LOCKED') this.#pinState = 'locked';
        else if (typeof state === 'string' && isPinState(state)) this.#pinState = state;
      }
      throw err;
    }
    this.#pinState = login.pinState;
    let opened: Unlocked;
    try {
      opened = describe(login);
      checkSigningCertificate(opened.signer, this.#now());
    } catch (err) {
      await client.call('logout', { tokenLabel }).catch(() => undefined);
      throw err;
    }
    this.#unlocked = opened;
    return this.status();
  }

  /** Logs out of the token and stops the worker (C_Finalize): nothing of the login survives. */
  async lock(): Promise<SignerStatus> {
    this.#unlocked = null;
    const client = this.#client;
    this.#client = null;
    if (client) {
      await client.call('logout', { tokenLabel: this.#opts.tokenLabel }).catch(() => undefined);
      await client.release();
    }
    return this.status();
  }

  /** Signer certificate first, then the CA certificates found on the token; empty while locked. */
  get chainDer(): readonly Uint8Array[] {
    return this.#unlocked?.chainDer ?? [];
  }

  /** RSA: CKM_RSA_PKCS over the SHA-256 DigestInfo. EC: CKM_ECDSA over the digest, returned as DER. */
  async signDigest(digest: Uint8Array): Promise<DigestSignature> {
    const unlocked = this.#unlocked;
    const client = this.#client;
    if (!unlocked || !client) throw new AppError('SIGNER_LOCKED');
    if (digest.length !== 32) throw new Error('A SHA-256 digest is 32 bytes');
    // Re-checked at every signature: the app may stay unlocked across the expiry date.
    checkSigningCertificate(unlocked.signer, this.#now());
    const rsa = unlocked.keyType === 'rsa';
    let signature: Uint8Array;
    try {
      ({ signature } = await client.call('sign', {
        tokenLabel: this.#opts.tokenLabel,
        mechanism: rsa ? 'rsa-pkcs' : 'ecdsa',
        data: rsa ? sha256DigestInfo(digest) : digest,
      }));
    } catch (err) {
      // The login died with the token (or the token was reset): the clerk must plug it in and unlock again.
      if (err instanceof AppError && (err.code === 'SIGNER_TOKEN_ABSENT' || err.code === 'SIGNER_LOCKED')) this.#unlocked = null;
      throw err;
    }
    return rsa ? { signature, algorithm: 'rsa-pkcs1-v1_5-sha256' } : { signature: ecdsaRawToDer(signature), algorithm: 'ecdsa-sha256' };
  }

  async #acquire(): Promise<Pkcs11Client> {
    if (this.#client) return this.#client;
    await assertLibraryFile(this.#opts.library);
    this.#client = Pkcs11Client.acquire(this.#opts.library);
    return this.#client;
  }
}

export interface TokenListing {
  readonly label: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly serial: string;
  readonly pinState: PinState;
  readonly certificates: readonly { readonly label: string; readonly id: string; readonly subject: string; readonly notAfter: string }[];
}

/** The tokens a driver library sees and the certificates on each, for the installer and the settings screen. */
export async function listTokens(library: string): Promise<TokenListing[]> {
  await assertLibraryFile(library);
  const client = Pkcs11Client.acquire(library);
  try {
    const tokens = await client.call('list-tokens', {});
    return tokens.map((t) => ({
      label: t.label,
      manufacturer: t.manufacturer,
      model: t.model,
      serial: t.serial,
      pinState: t.pinState,
      certificates: t.certificates.flatMap((c) => {
        try {
          const info = readCertificate(c.der);
          return [{ label: c.label, id: c.id, subject: info.subject, notAfter: info.notAfter.toISOString() }];
        } catch {
          return []; // a damaged certificate object is not offered for signing
        }
      }),
    }));
  } finally {
    await client.release();
  }
}

async function assertLibraryFile(library: string): Promise<void> {
  try {
    await access(library, constants.R_OK);
  } catch (err) {
    throw new AppError('SIGNER_LIBRARY_MISSING', { library }, { cause: err });
  }
}

function isPinState(value: string): value is PinState {
  return value === 'ok' || value === 'count-low' || value === 'final-try' || value === 'locked';
}

function describe(login: LoginResult): Unlocked {
  let signer: CertificateInfo;
  try {
    signer = readCertificate(login.certificateDer);
  } catch (err) {
    throw new AppError('SIGNER_NO_KEY', { reason: 'the certificate on the token cannot be read' }, { cause: err });
  }
  if (signer.keyAlgorithm !== login.keyType) throw new AppError('SIGNER_NO_KEY', { reason: `a ${login.keyType} key with a ${signer.keyAlgorithm} certificate` });
  const chainDer = orderCertificateChain(login.certificateDer, login.otherCertificatesDer);
  return { keyType: login.keyType, chainDer, signer, summary: certificateSummary(signer, chainDer, login.keyType) };
}

