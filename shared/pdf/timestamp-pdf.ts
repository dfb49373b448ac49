/**
 * Upgrades a PAdES signature made offline (B-B) to B-T once the counter is online: the signature's CMS
 * gets an RFC 3161 signature time-stamp as an unsigned attribute and is written back into the same
 * /Contents hex string. /Contents is the gap between the two /ByteRange ranges, so no signed byte
 * changes and the file keeps its length; this is checked before the result is returned.
 *
 * Signatures are found by scanning for /ByteRange arrays in the raw bytes (never by loading the file with
 * pdf-lib, whose save() would rewrite it). A signature whose /Contents lies inside the byte ranges of a
 * later signature (an earlier signature followed by an incremental update that was signed again) cannot
 * be changed without breaking that later signature: it is refused, and signatureNeedsTimestamp reports
 * it as not upgradable in place.
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { AppError } from '../errors';
import { derValueLength } from '../cms/der';
import {
  addSignatureTimeStamp,
  buildTimeStampRequest,
  inspectCmsSignature,
  parseTimeStampResponse,
  describeTimestampIssue,
  verifyTimeStampToken,
  type TimeStampToken,
} from '../cms/timestamp';
import { fromHex, sha256, toHex } from '../util/bytes';

export interface PdfSignatureSlot {
  /** 0-based, in file order of the revision each signs (the last signature last). */
  readonly index: number;
  readonly byteRange: readonly [number, number, number, number];
  /** The CMS DER (padding cut off), or null when /Contents does not hold a readable CMS. */
  readonly cmsDer: Uint8Array | null;
  readonly kind: 'signature' | 'document-timestamp' | 'unreadable';
  /** The signature already carries a signature time-stamp token. */
  readonly hasSignatureTimestamp: boolean;
  /** The /Contents of this signature lies inside the ranges of another signature. */
  readonly coveredByLaterSignature: boolean;
  /** Room for the CMS, in bytes (half the hex characters between '<' and '>'). */
  readonly capacityBytes: number;
}

export interface TimestampPdfOptions {
  /** Which signature (0-based, file order); default the last one. */
  readonly signatureIndex?: number;
  /**
   * Trust anchors for the TSA certificate. When given, a token whose TSA does not chain to one of them is
   * refused; the token's own signature, imprint and the TSA's timeStamping usage are checked always.
   */
  readonly trustAnchorsDer?: readonly Uint8Array[];
  /** Nonce for the request (tests); default 8 random bytes. */
  readonly nonce?: Uint8Array;
}

/** Sends a DER TimeStampReq to the TSA and resolves with the DER TimeStampResp (see tsa-client.ts). */
export type TimeStampRequester = (request: Uint8Array) => Promise<Uint8Array>;

/** Every signature dictionary in the file, in the order of the revision each signs. */
export function listSignatureSlots(pdf: Uint8Array): PdfSignatureSlot[] {
  const ranges = findByteRanges(pdf);
  return ranges.map((byteRange, index) => {
    const [, b, c] = byteRange;
    const others = ranges.filter((_, j) => j !== index);
    const coveredByLaterSignature = others.some(([a2, b2, c2, d2]) => overlaps(a2, a2 + b2, b, c) || overlaps(c2, c2 + d2, b, c));
    const capacityBytes = Math.floor((c - b - 2) / 2);
    const cmsDer = readContents(pdf, byteRange);
    let kind: PdfSignatureSlot['kind'] = 'unreadable';
    let hasSignatureTimestamp = false;
    if (cmsDer) {
      try {
        const info = inspectCmsSignature(cmsDer);
        kind = info.isTimeStampToken ? 'document-timestamp' : 'signature';
        hasSignatureTimestamp = info.timeStampTokens.length > 0;
      } catch {
        kind = 'unreadable';
      }
    }
    return { index, byteRange, cmsDer: kind === 'unreadable' ? null : cmsDer, kind, hasSignatureTimestamp, coveredByLaterSignature, capacityBytes };
  });
}

/**
 * For each signature (file order): true when it has no signature time-stamp yet and one can be added in
 * place — what the sync engine asks before calling timestampPdfSignature.
 */
export function signatureNeedsTimestamp(pdf: Uint8Array): boolean[] {
  return listSignatureSlots(pdf).map((s) => s.kind === 'signature' && !s.hasSignatureTimestamp && !s.coveredByLaterSignature);
}

/**
 * Adds a signature time-stamp to one signature, in place. Returns a new array of the same length whose
 * bytes differ from `pdf` only inside that signature's /Contents. On any failure nothing is returned and
 * the input is untouched: SIGNATURE_NOT_FOUND, SIGNATURE_ALREADY_TIMESTAMPED,
 * SIGNATURE_TIMESTAMP_BREAKS_LATER_SIGNATURE (checked before the TSA is asked), TSA_* from the requester
 * and the answer's checks, SIGNATURE_PLACEHOLDER_TOO_SMALL when the new CMS does not fit.
 */
export async function timestampPdfSignature(pdf: Uint8Array, requestToken: TimeStampRequester, opts: TimestampPdfOptions = {}): Promise<Uint8Array> {
  return (await timestampPdfSignatureWithToken(pdf, requestToken, opts)).pdf;
}

/** As timestampPdfSignature, also returning the token that was added (for logs and the CLI). */
export async function timestampPdfSignatureWithToken(
  pdf: Uint8Array,
  requestToken: TimeStampRequester,
  opts: TimestampPdfOptions = {},
): Promise<{ pdf: Uint8Array; token: TimeStampToken; signatureIndex: number }> {
  const slots = listSignatureSlots(pdf);
  if (slots.length === 0) throw new AppError('SIGNATURE_NOT_FOUND', { reason: 'no /ByteRange' });
  const index = opts.signatureIndex ?? slots.length - 1;
  const slot = slots[index];
  if (!slot) throw new AppError('SIGNATURE_NOT_FOUND', { reason: `no signature #${index + 1} (the file has ${slots.length})` });
  if (slot.kind !== 'signature' || !slot.cmsDer) {
    throw new AppError('SIGNATURE_NOT_FOUND', { reason: slot.kind === 'document-timestamp' ? 'it is a document time-stamp' : '/Contents is not a readable CMS' });
  }
  if (slot.hasSignatureTimestamp) throw new AppError('SIGNATURE_ALREADY_TIMESTAMPED');
  if (slot.coveredByLaterSignature) throw new AppError('SIGNATURE_TIMESTAMP_BREAKS_LATER_SIGNATURE', { index: index + 1 });

  const { signatureValue } = inspectCmsSignature(slot.cmsDer);
  const nonce = opts.nonce ?? randomBytes(8);
  const request = buildTimeStampRequest({ signatureValue, nonce, certReq: true });
  const response = await requestToken(request);
  const token = parseTimeStampResponse(response, { expectedImprint: sha256(signatureValue), nonce });

  const anchors = opts.trustAnchorsDer ?? [];
  const verification = verifyTimeStampToken(token.der, { signatureValue, trustAnchorsDer: anchors });
  const { checks } = verification;
  if (!checks.imprint || !checks.signature || !checks.tsaCertificate || !checks.validAtGenTime || (anchors.length > 0 && !checks.chain)) {
    // Without anchors the chain cannot be judged here; the TSA is trusted later, by whoever verifies.
    const problems = verification.issues.filter((issue) => anchors.length > 0 || issue.code !== 'TSP_CHAIN_UNTRUSTED').map(describeTimestampIssue);
    throw new AppError('TSA_BAD_RESPONSE', { reason: problems.join('; ') || 'the token does not verify' });
  }

  const cms = addSignatureTimeStamp(slot.cmsDer, token.der);
  const out = writeContents(pdf, slot.byteRange, cms);
  assertOnlyContentsChanged(pdf, out, slot.byteRange);
  return { pdf: out, token, signatureIndex: index };
}

// ---------------------------------------------------------------------------------------------------

const overlaps = (start1: number, end1: number, start2: number, end2: number): boolean => start1 < end2 && start2 < end1;

/** Every distinct, sane /ByteRange [a b c d] whose gap is a hex string, sorted by where the signed revision ends. */
function findByteRanges(pdf: Uint8Array): Array<[number, number, number, number]> {
  const found = new Map<string, [number, number, number, number]>();
  const key = ascii('/ByteRange');
  for (let at = indexOf(pdf, key, 0); at >= 0; at = indexOf(pdf, key, at + key.length)) {
    const text = latin1(pdf.subarray(at + key.length, Math.min(pdf.length, at + key.length + 120)));
    const m = /^\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text);
    if (!m) continue;
    const range = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as [number, number, number, number];
    const [a, b, c, d] = range;
    if (a !== 0 || c <= b + 1 || c + d > pdf.length || pdf[b] !== 0x3c || pdf[c - 1] !== 0x3e) continue;
    found.set(range.join(' '), range);
  }
  return [...found.values()].sort((x, y) => x[2] + x[3] - (y[2] + y[3]));
}

/** The DER inside /Contents, cut to its own length (the rest is zero padding); null if not hex / not DER. */
function readContents(pdf: Uint8Array, [, b, c]: readonly number[]): Uint8Array | null {
  if (b === undefined || c === undefined) return null;
  const hex = latin1(pdf.subarray(b + 1, c - 1)).replace(/[\s]/g, '');
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length < 4) return null;
  const bytes = fromHex(hex.length % 2 ? hex + '0' : hex);
  const length = derValueLength(bytes);
  return length === null ? null : bytes.slice(0, length);
}

function writeContents(pdf: Uint8Array, [, b, c]: readonly number[], cms: Uint8Array): Uint8Array {
  if (b === undefined || c === undefined) throw new Error('bad byte range');
  const capacityHex = c - b - 2;
  const hex = toHex(cms);
  if (hex.length > capacityHex) {
    throw new AppError('SIGNATURE_PLACEHOLDER_TOO_SMALL', { needed: cms.length, available: Math.floor(capacityHex / 2) });
  }
  const out = pdf.slice();
  out.set(ascii(hex.padEnd(capacityHex, '0')), b + 1);
  return out;
}

/** Belt and braces: same length, and not one byte outside /Contents' hex digits differs. */
function assertOnlyContentsChanged(before: Uint8Array, after: Uint8Array, [, b, c]: readonly number[]): void {
  if (b === undefined || c === undefined || before.length !== after.length) throw new Error('timestamping changed the file length');
  for (let i = 0; i <= b; i++) if (before[i] !== after[i]) throw new Error(`timestamping changed byte ${i} outside /Contents`);
  for (let i = c - 1; i < before.length; i++) if (before[i] !== after[i]) throw new Error(`timestamping changed byte ${i} outside /Contents`);
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0] ?? 0;
  for (let i = haystack.indexOf(first, from); i >= 0 && i <= haystack.length - needle.length; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}
