/**
 * Which signatures of a PDF can take a signature time-stamp in place. A signature whose /Contents is
 * covered by a later signature (an incremental update signed again) must be refused before the TSA is
 * asked, since rewriting it would break the later one. The files here are built byte by byte: only the
 * /ByteRange and /Contents layout matters to this code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { buildPadesCms, buildSignedAttributes } from '../../../../shared/cms/pades';
import { listSignatureSlots, signatureNeedsTimestamp, timestampPdfSignature } from '../../../../shared/pdf/timestamp-pdf';
import { sha256, toHex } from '../../../../shared/util/bytes';
import { Pkcs12KeyStore } from '../../../../electron/services/signing/pkcs12-keystore';
import { getTestPki } from '../../../support/pki';

const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const pad = (n: number): string => String(n).padStart(10, '0');

let cmsHex: string;

beforeAll(async () => {
  const pki = await getTestPki();
  const keystore = new Pkcs12KeyStore({ path: pki.counterSignerP12Path, label: 'test' });
  await keystore.unlock(pki.password);
  const signedAttributesDer = buildSignedAttributes({ contentDigest: sha256(latin1('ranges')), signerCertDer: keystore.chainDer[0] ?? new Uint8Array() });
  cmsHex = toHex(buildPadesCms({ signedAttributesDer, signature: await keystore.signDigest(sha256(signedAttributesDer)), chainDer: keystore.chainDer }));
  keystore.lock();
});

/** Appends a signature dictionary whose ranges cover everything before and after its own /Contents. */
function appendSignature(prefix: string, capacityHex: number, hex = cmsHex): string {
  const head = `${prefix}\n9 0 obj\n<< /Type /Sig /ByteRange [0 ${pad(0)} ${pad(0)} ${pad(0)}] /Contents `;
  const contents = `<${hex.padEnd(capacityHex, '0')}>`;
  const tail = ' >>\nendobj\n%%EOF\n';
  const b = head.length;
  const c = b + contents.length;
  const total = c + tail.length;
  return head.replace(`[0 ${pad(0)} ${pad(0)} ${pad(0)}]`, `[0 ${pad(b)} ${pad(c)} ${pad(total - c)}]`) + contents + tail;
}

describe('signature slots', () => {
  it('one signature: found, readable, needs a timestamp', () => {
    const pdf = latin1(appendSignature('%PDF-1.7', 20_000));
    const [slot] = listSignatureSlots(pdf);
    expect(slot).toMatchObject({ index: 0, kind: 'signature', hasSignatureTimestamp: false, coveredByLaterSignature: false, capacityBytes: 10_000 });
    expect(signatureNeedsTimestamp(pdf)).toEqual([true]);
  });

  it('two signatures: only the last can be timestamped in place; the first is refused before the TSA is asked', async () => {
    const pdf = latin1(appendSignature(appendSignature('%PDF-1.7', 20_000), 20_000));
    expect(listSignatureSlots(pdf).map((s) => s.coveredByLaterSignature)).toEqual([true, false]);
    expect(signatureNeedsTimestamp(pdf)).toEqual([false, true]);
    let asked = 0;
    const requester = (): Promise<Uint8Array> => {
      asked++;
      return Promise.reject(new Error('must not be called'));
    };
    const err = await timestampPdfSignature(pdf, requester, { signatureIndex: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('SIGNATURE_TIMESTAMP_BREAKS_LATER_SIGNATURE');
    expect(asked).toBe(0);
  });

  it('no signature, or /Contents that is not a CMS: SIGNATURE_NOT_FOUND', async () => {
    const requester = (): Promise<Uint8Array> => Promise.reject(new Error('must not be called'));
    const none = await timestampPdfSignature(latin1('%PDF-1.7\n%%EOF\n'), requester).catch((e: unknown) => e);
    expect((none as AppError).code).toBe('SIGNATURE_NOT_FOUND');
    const junk = latin1(appendSignature('%PDF-1.7', 2_000, 'deadbeef'));
    expect(listSignatureSlots(junk)[0]?.kind).toBe('unreadable');
    expect(signatureNeedsTimestamp(junk)).toEqual([false]);
    const unreadable = await timestampPdfSignature(junk, requester).catch((e: unknown) => e);
    expect((unreadable as AppError).code).toBe('SIGNATURE_NOT_FOUND');
  });
});
