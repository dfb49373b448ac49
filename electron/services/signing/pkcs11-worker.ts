/**
 * The worker thread that talks to a PKCS#11 driver library. PKCS#11 calls are synchronous and may block
 * for seconds (a PIN pad, a slow token), so they run here and never on the thread that serves the UI.
 * Requests arrive one at a time (the client queues them); each answer is a result or a WireError.
 *
 * State kept here: one open session per token label (the login belongs to it) and the key handle found at
 * login. The PIN is passed to C_Login and dropped.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pkcs11js from 'pkcs11js';
import { AppError } from '../../../shared/errors';
import { serveRpc, type RpcHandlers } from '../../../shared/rpc';
import { appErrorFromCkr, CKR, fromHexString, pinStateFromFlags, toHexString } from './pkcs11-codec';
import type {
  KeySelector,
  LoginResult,
  Pkcs11Operations,
  Pkcs11WorkerData,
  TokenCertificateObject,
  TokenDescription,
} from './pkcs11-protocol';

type Handle = Buffer;

interface OpenToken {
  readonly slot: Handle;
  readonly session: Handle;
  key: Handle | null;
}

const { library } = workerData as Pkcs11WorkerData;
const port = parentPort;
if (!port) throw new Error('pkcs11-worker must run as a worker thread');

const p11 = new pkcs11js.PKCS11();
const open = new Map<string, OpenToken>();
let loadError: AppError | null = null;
try {
  p11.load(library);
  try {
    p11.C_Initialize();
  } catch (err) {
    // Another worker of this process initialised the same library first: share it.
    if (ckrOf(err) !== CKR.CRYPTOKI_ALREADY_INITIALIZED) throw err;
  }
} catch (err) {
  loadError = new AppError('SIGNER_LIBRARY_MISSING', { library, reason: err instanceof Error ? err.message : String(err) }, { cause: err });
}

function ckrOf(err: unknown): number | null {
  if (err instanceof pkcs11js.Pkcs11Error) return err.code;
  return null;
}

/** Runs one PKCS#11 call, turning a CKR into the AppError the clerk should see. */
function call<T>(tokenLabel: string, fn: () => T, pinStateAfter?: () => ReturnType<typeof pinStateFromFlags> | undefined): T {
  try {
    return fn();
  } catch (err) {
    const ckr = ckrOf(err);
    if (ckr === null) throw err;
    const name = err instanceof Error ? err.message : 'CKR';
    throw appErrorFromCkr(ckr, name, { tokenLabel, pinState: pinStateAfter?.() });
  }
}

function trimmed(text: string): string {
  return text.replace(/[\s\0]+$/, '');
}

function findSlot(tokenLabel: string): Handle {
  const slots = call(tokenLabel, () => p11.C_GetSlotList(true));
  for (const slot of slots) {
    let label: string;
    try {
      label = trimmed(p11.C_GetTokenInfo(slot).label);
    } catch {
      continue; // a token pulled out while we list: not ours anyway
    }
    if (label === tokenLabel) return slot;
  }
  throw new AppError('SIGNER_TOKEN_ABSENT', { token: tokenLabel, reason: 'no token with this label' });
}

function tokenStillThere(slot: Handle, tokenLabel: string): boolean {
  try {
    if (!p11.C_GetSlotList(true).some((s) => s.equals(slot))) return false;
    return trimmed(p11.C_GetTokenInfo(slot).label) === tokenLabel;
  } catch {
    return false;
  }
}

function tokenFlags(tokenLabel: string, slot: Handle): number {
  return call(tokenLabel, () => p11.C_GetTokenInfo(slot).flags);
}

function readFlagsQuietly(slot: Handle): ReturnType<typeof pinStateFromFlags> | undefined {
  try {
    return pinStateFromFlags(p11.C_GetTokenInfo(slot).flags);
  } catch {
    return undefined;
  }
}

function findObjects(session: Handle, template: pkcs11js.Template): Handle[] {
  p11.C_FindObjectsInit(session, template);
  try {
    const found: Handle[] = [];
    for (;;) {
      const batch = p11.C_FindObjects(session, 32);
      if (batch.length === 0) return found;
      found.push(...batch);
    }
  } finally {
    p11.C_FindObjectsFinal(session);
  }
}

function attributes(session: Handle, object: Handle, types: number[]): Map<number, Buffer> {
  const values = p11.C_GetAttributeValue(session, object, types.map((type) => ({ type })));
  return new Map(values.map((a) => [a.type, a.value]));
}

/** CK_ULONG attribute values come back in host byte order; every platform we ship to is little-endian. */
function ulong(value: Buffer | undefined): number {
  if (!value || value.length < 4) return -1;
  return value.readUInt32LE(0);
}

function listCertificates(session: Handle): TokenCertificateObject[] {
  const handles = findObjects(session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
  ]);
  return handles.map((h) => {
    const a = attributes(session, h, [pkcs11js.CKA_LABEL, pkcs11js.CKA_ID, pkcs11js.CKA_VALUE]);
    return {
      label: (a.get(pkcs11js.CKA_LABEL) ?? Buffer.alloc(0)).toString('utf8'),
      id: toHexString(a.get(pkcs11js.CKA_ID) ?? Buffer.alloc(0)),
      der: new Uint8Array(a.get(pkcs11js.CKA_VALUE) ?? Buffer.alloc(0)),
    };
  });
}

const operations: { [K in keyof Pkcs11Operations]: (args: Pkcs11Operations[K]['request']) => Pkcs11Operations[K]['result'] } = {
  'list-tokens'() {
    const tokens: TokenDescription[] = [];
    for (const slot of call('', () => p11.C_GetSlotList(true))) {
      let info: pkcs11js.TokenInfo;
      try {
        info = p11.C_GetTokenInfo(slot);
      } catch {
        continue;
      }
      if ((info.flags & pkcs11js.CKF_TOKEN_INITIALIZED) === 0) continue; // SoftHSM's free slot, blank cards
      let certificates: TokenCertificateObject[] = [];
      try {
        const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
        try {
          certificates = listCertificates(session);
        } finally {
          p11.C_CloseSession(session);
        }
      } catch {
        // Listing must not fail because one token is busy or was pulled out: show it without certificates.
      }
      tokens.push({
        label: trimmed(info.label),
        manufacturer: trimmed(info.manufacturerID),
        model: trimmed(info.model),
        serial: trimmed(info.serialNumber),
        pinState: pinStateFromFlags(info.flags),
        certificates,
      });
    }
    return tokens;
  },

  'token-state'({ tokenLabel }) {
    const slot = findSlot(tokenLabel);
    return { pinState: pinStateFromFlags(tokenFlags(tokenLabel, slot)) };
  },

  login(args) {
    const { tokenLabel, pin } = args;
    dropSession(tokenLabel);
    const slot = findSlot(tokenLabel);
    if (pinStateFromFlags(tokenFlags(tokenLabel, slot)) === 'locked') throw new AppError('SIGNER_PIN_LOCKED', { token: tokenLabel });
    const session = call(tokenLabel, () => p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION));
    const entry: OpenToken = { slot, session, key: null };
    open.set(tokenLabel, entry);
    try {
      try {
        p11.C_Login(session, pkcs11js.CKU_USER, pin);
      } catch (err) {
        if (ckrOf(err) !== CKR.USER_ALREADY_LOGGED_IN) throw err;
      }
    } catch (err) {
      dropSession(tokenLabel);
      const ckr = ckrOf(err);
      if (ckr === null) throw err;
      throw appErrorFromCkr(ckr, err instanceof Error ? err.message : 'C_Login', { tokenLabel, pinState: readFlagsQuietly(slot) });
    }
    try {
      const result = findKeyAndCertificate(session, args);
      entry.key = result.key;
      return { ...result.login, pinState: readFlagsQuietly(slot) ?? 'ok' };
    } catch (err) {
      logoutQuietly(tokenLabel);
      if (err instanceof AppError) throw err;
      const ckr = ckrOf(err);
      if (ckr === null) throw err;
      throw appErrorFromCkr(ckr, err instanceof Error ? err.message : 'C_FindObjects', { tokenLabel });
    }
  },

  sign({ tokenLabel, mechanism, data }) {
    const entry = open.get(tokenLabel);
    if (!entry?.key) throw new AppError('SIGNER_LOCKED');
    const { session, slot, key } = entry;
    const absent = (reason: string): AppError => {
      dropSession(tokenLabel);
      return new AppError('SIGNER_TOKEN_ABSENT', { token: tokenLabel, reason });
    };
    // The token may have been pulled out (or swapped) since login. Drivers say so in different ways
    // (CKR_DEVICE_REMOVED, CKR_TOKEN_NOT_PRESENT, CKR_SESSION_HANDLE_INVALID; SoftHSM answers
    // CKR_GENERAL_ERROR and then CKR_OBJECT_HANDLE_INVALID), so ask before signing and again after a failure.
    if (!tokenStillThere(slot, tokenLabel)) throw absent('token removed or replaced');
    try {
      call(tokenLabel, () => p11.C_GetSessionInfo(session));
      const mech = { mechanism: mechanism === 'rsa-pkcs' ? pkcs11js.CKM_RSA_PKCS : pkcs11js.CKM_ECDSA };
      call(tokenLabel, () => p11.C_SignInit(session, mech, key));
      const signature = call(tokenLabel, () => p11.C_Sign(session, Buffer.from(data), Buffer.alloc(1024)));
      return { signature: new Uint8Array(signature) };
    } catch (err) {
      if (err instanceof AppError && err.code === 'SIGNER_TOKEN_ABSENT') throw absent(String(err.details.reason ?? 'token removed'));
      if (!tokenStillThere(slot, tokenLabel)) throw absent('token removed while signing');
      throw err;
    }
  },

  logout({ tokenLabel }) {
    logoutQuietly(tokenLabel);
    return null;
  },

  close() {
    for (const label of [...open.keys()]) logoutQuietly(label);
    try {
      p11.C_Finalize();
    } catch {
      // already finalised or the library is gone: nothing to release
    }
    return null;
  },
};

function findKeyAndCertificate(session: Handle, selector: KeySelector & { pin: string }): { key: Handle; login: Omit<LoginResult, 'pinState'> } {
  const template: pkcs11js.Template = [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }];
  if (selector.keyLabel !== undefined) template.push({ type: pkcs11js.CKA_LABEL, value: selector.keyLabel });
  if (selector.keyId !== undefined) template.push({ type: pkcs11js.CKA_ID, value: Buffer.from(fromHexString(selector.keyId)) });
  const keys = findObjects(session, template);
  const certificates = listCertificates(session);
  const noKey = (reason: string): AppError => new AppError('SIGNER_NO_KEY', { token: selector.tokenLabel, reason });
  if (keys.length === 0) throw noKey(selector.keyLabel ?? selector.keyId ?? 'no private key on the token');

  // With no selector, take the first key that has a certificate; several keys need a label or an id.
  for (const key of keys) {
    const a = attributes(session, key, [pkcs11js.CKA_ID, pkcs11js.CKA_LABEL, pkcs11js.CKA_KEY_TYPE]);
    const keyId = toHexString(a.get(pkcs11js.CKA_ID) ?? Buffer.alloc(0));
    const keyLabel = (a.get(pkcs11js.CKA_LABEL) ?? Buffer.alloc(0)).toString('utf8');
    const keyType = ulong(a.get(pkcs11js.CKA_KEY_TYPE));
    const certificate =
      (keyId !== '' ? certificates.find((c) => c.id === keyId) : undefined) ?? certificates.find((c) => keyLabel !== '' && c.label === keyLabel);
    if (!certificate) continue;
    if (keyType !== pkcs11js.CKK_RSA && keyType !== pkcs11js.CKK_EC) throw noKey(`unsupported key type 0x${keyType.toString(16)}`);
    return {
      key,
      login: {
        keyType: keyType === pkcs11js.CKK_RSA ? 'rsa' : 'ec',
        keyId,
        keyLabel,
        certificateDer: certificate.der,
        otherCertificatesDer: certificates.filter((c) => c !== certificate).map((c) => c.der),
      },
    };
  }
  throw noKey('no certificate for the key');
}

function logoutQuietly(tokenLabel: string): void {
  const entry = open.get(tokenLabel);
  if (!entry) return;
  try {
    p11.C_Logout(entry.session);
  } catch {
    // not logged in, or the token is gone
  }
  dropSession(tokenLabel);
}

function dropSession(tokenLabel: string): void {
  const entry = open.get(tokenLabel);
  if (!entry) return;
  open.delete(tokenLabel);
  try {
    p11.C_CloseSession(entry.session);
  } catch {
    // the session died with the token
  }
}

/** Every operation fails with the load error when the library did not load. */
function guarded<K extends keyof Pkcs11Operations>(op: K): RpcHandlers<Pkcs11Operations>[K] {
  const run = operations[op] as (request: Pkcs11Operations[K]['request']) => Pkcs11Operations[K]['result'];
  return ((request: Pkcs11Operations[K]['request']) => {
    if (loadError) throw loadError;
    return run(request);
  }) as RpcHandlers<Pkcs11Operations>[K];
}

const receive = serveRpc<Pkcs11Operations>(
  {
    'list-tokens': guarded('list-tokens'),
    'token-state': guarded('token-state'),
    login: guarded('login'),
    sign: guarded('sign'),
    logout: guarded('logout'),
    close: guarded('close'),
  },
  (message, transfer) => port.postMessage(message, transfer),
);

port.on('message', (message: { readonly op?: unknown }) => {
  // Handlers are synchronous: the reply has been posted when receive returns, so `close` may stop the port.
  receive(message);
  if (message.op === 'close') port.close();
});
