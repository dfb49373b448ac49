/**
 * The pure parts of the PKCS#11 key store: PIN flags → PIN state, CK_RV → AppError, the DigestInfo for
 * CKM_RSA_PKCS, and the raw r‖s of CKM_ECDSA → DER (checked by node:crypto's verifier, a real peer).
 */
import { createSign, createVerify, generateKeyPairSync } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../shared/util/bytes';
import {
  appErrorFromCkr,
  CKF_USER_PIN_COUNT_LOW,
  CKF_USER_PIN_FINAL_TRY,
  CKF_USER_PIN_LOCKED,
  CKR,
  ecdsaRawToDer,
  fromHexString,
  pinStateFromFlags,
  sha256DigestInfo,
  toHexString,
} from '../../../electron/services/signing/pkcs11-codec';

describe('pinStateFromFlags', () => {
  it('uses the PKCS#11 flag values', () => {
    expect(CKF_USER_PIN_COUNT_LOW).toBe(pkcs11js.CKF_USER_PIN_COUNT_LOW);
    expect(CKF_USER_PIN_FINAL_TRY).toBe(pkcs11js.CKF_USER_PIN_FINAL_TRY);
    expect(CKF_USER_PIN_LOCKED).toBe(pkcs11js.CKF_USER_PIN_LOCKED);
  });

  it('maps the flags a token reports, the most severe winning', () => {
    const other = pkcs11js.CKF_TOKEN_INITIALIZED | pkcs11js.CKF_USER_PIN_INITIALIZED | pkcs11js.CKF_LOGIN_REQUIRED;
    expect(pinStateFromFlags(other)).toBe('ok');
    expect(pinStateFromFlags(other | CKF_USER_PIN_COUNT_LOW)).toBe('count-low');
    expect(pinStateFromFlags(other | CKF_USER_PIN_FINAL_TRY)).toBe('final-try');
    // Tokens set COUNT_LOW together with FINAL_TRY; the final try is what the clerk must hear.
    expect(pinStateFromFlags(other | CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY)).toBe('final-try');
    expect(pinStateFromFlags(other | CKF_USER_PIN_LOCKED | CKF_USER_PIN_FINAL_TRY)).toBe('locked');
  });
});

describe('appErrorFromCkr', () => {
  it('uses the PKCS#11 return values', () => {
    for (const [name, value] of Object.entries(CKR)) expect(value, name).toBe((pkcs11js as unknown as Record<string, number>)[`CKR_${name}`]);
  });

  it('wrong PIN carries the PIN state; a locked PIN, a missing token and a reset token have their own codes', () => {
    const ctx = { tokenLabel: 'Quầy 1' };
    expect(appErrorFromCkr(CKR.PIN_INCORRECT, 'CKR_PIN_INCORRECT', { ...ctx, pinState: 'final-try' })).toMatchObject({ code: 'SIGNER_WRONG_PIN', details: { pinState: 'final-try' } });
    expect(appErrorFromCkr(CKR.PIN_LEN_RANGE, 'CKR_PIN_LEN_RANGE', ctx)).toMatchObject({ code: 'SIGNER_WRONG_PIN', details: { pinState: 'ok' } });
    expect(appErrorFromCkr(CKR.PIN_INCORRECT, 'CKR_PIN_INCORRECT', { ...ctx, pinState: 'locked' }).code).toBe('SIGNER_PIN_LOCKED');
    expect(appErrorFromCkr(CKR.PIN_LOCKED, 'CKR_PIN_LOCKED', ctx).code).toBe('SIGNER_PIN_LOCKED');
    for (const ckr of [CKR.TOKEN_NOT_PRESENT, CKR.DEVICE_REMOVED, CKR.SESSION_HANDLE_INVALID, CKR.SLOT_ID_INVALID, CKR.SESSION_CLOSED]) {
      expect(appErrorFromCkr(ckr, 'x', ctx).code).toBe('SIGNER_TOKEN_ABSENT');
    }
    expect(appErrorFromCkr(CKR.USER_NOT_LOGGED_IN, 'x', ctx).code).toBe('SIGNER_LOCKED');
    expect(appErrorFromCkr(0x5, 'CKR_GENERAL_ERROR', ctx)).toMatchObject({ code: 'INTERNAL' });
  });
});

describe('signature encodings', () => {
  it('builds the SHA-256 DigestInfo RSA signs (what node:crypto signs for sha256WithRSAEncryption)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const message = new TextEncoder().encode('thuộc tính đã ký');
    const digestInfo = sha256DigestInfo(sha256(message));
    expect(toHexString(digestInfo.subarray(0, 19))).toBe('3031300d060960864801650304020105000420');
    const viaDigestInfo = createSign('sha256').update(message).sign(privateKey);
    expect(createVerify('sha256').update(message).verify(publicKey, viaDigestInfo)).toBe(true);
    expect(() => sha256DigestInfo(new Uint8Array(20))).toThrow();
  });

  it.each(['prime256v1', 'secp384r1'])('turns the raw r‖s of %s into a DER ECDSA-Sig-Value that verifies', (namedCurve) => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
    for (let i = 0; i < 24; i++) {
      // Many signatures: some r or s have a top bit set (needs a 0x00) or leading zero bytes (stripped).
      const message = new TextEncoder().encode(`message ${i}`);
      const raw = createSign('sha256').update(message).sign({ key: privateKey, dsaEncoding: 'ieee-p1363' });
      const der = ecdsaRawToDer(new Uint8Array(raw));
      expect(der[0]).toBe(0x30);
      expect(createVerify('sha256').update(message).verify({ key: publicKey, dsaEncoding: 'der' }, der)).toBe(true);
    }
  });

  it('encodes edge values exactly', () => {
    const raw = new Uint8Array(64);
    raw[31] = 1; // r = 1
    raw[32] = 0x80; // s has its top bit set
    expect(toHexString(ecdsaRawToDer(raw))).toBe('3026020101022100' + '80' + '00'.repeat(31));
    expect(() => ecdsaRawToDer(new Uint8Array(63))).toThrow();
    expect(toHexString(fromHexString('0A:ff'))).toBe('0aff');
  });
});
