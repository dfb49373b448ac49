/**
 * Reads a signed PDF the way an outside tool would — the last /ByteRange by regular expression, not through
 * the project's own parser — so tests that hand the result to OpenSSL check our output independently.
 */
export function extractSignature(pdf: Uint8Array): { cms: Buffer; content: Buffer } {
  const text = Buffer.from(pdf).toString('latin1');
  const m = [...text.matchAll(/\/ByteRange \[(\d+) (\d+) (\d+) (\d+) *\]/g)].at(-1);
  if (!m) throw new Error('no /ByteRange');
  const [a, b, c, d] = m.slice(1).map(Number) as [number, number, number, number];
  const padded = Buffer.from(text.slice(b + 1, c - 1), 'hex');
  return { cms: padded.subarray(0, derLength(padded)), content: Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]) };
}

/**
 * The length of the DER element at the start of `bytes` (tag, length, content): the /Contents placeholder is
 * padded with zeros, and trimming trailing zeros instead would cut a signature whose last byte is 0x00 (an ECDSA
 * value does end so, one time in 256).
 */
function derLength(bytes: Buffer): number {
  const first = bytes[1] ?? 0;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (bytes[2 + i] ?? 0);
  return 2 + count + length;
}
