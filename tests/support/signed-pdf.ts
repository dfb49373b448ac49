/**
 * Reads a signed PDF the way an outside tool would — the last /ByteRange by regular expression, not through
 * the project's own parser — so tests that hand the result to OpenSSL check our output independently.
 */
export function extractSignature(pdf: Uint8Array): { cms: Buffer; content: Buffer } {
  const text = Buffer.from(pdf).toString('latin1');
  const m = [...text.matchAll(/\/ByteRange \[(\d+) (\d+) (\d+) (\d+) *\]/g)].at(-1);
  if (!m) throw new Error('no /ByteRange');
  const [a, b, c, d] = m.slice(1).map(Number) as [number, number, number, number];
  const hex = text.slice(b + 1, c - 1).replace(/(00)+$/, '');
  return { cms: Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex'), content: Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]) };
}
