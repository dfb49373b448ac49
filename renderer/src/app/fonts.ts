import regularUrl from '../../../shared/assets/fonts/LiberationSerif-Regular.ttf?url';
import boldUrl from '../../../shared/assets/fonts/LiberationSerif-Bold.ttf?url';

export interface ReceiptFonts {
  readonly regular: Uint8Array;
  readonly bold: Uint8Array;
}

let cached: Promise<ReceiptFonts> | undefined;

/** The Times-compatible fonts embedded in printed forms, shipped with the app (never fetched from outside). */
export function loadReceiptFonts(): Promise<ReceiptFonts> {
  cached ??= Promise.all([fetchBytes(regularUrl), fetchBytes(boldUrl)]).then(([regular, bold]) => ({ regular, bold }));
  return cached;
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`font ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
