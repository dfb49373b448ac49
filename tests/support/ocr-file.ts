/** Prints the OCR text of one image file with the app's OCR engine (for the no-network test). */
import { readFile } from 'node:fs/promises';
import { OcrEngine } from '../../electron/services/imaging/ocr';

const file = process.argv[2];
if (!file) throw new Error('usage: tsx tests/support/ocr-file.ts <image>');
const engine = new OcrEngine();
const page = await engine.recognize(new Uint8Array(await readFile(file)), { widthPx: 1, heightPx: 1 });
console.log(page.words.map((w) => w.text).join(' '));
await engine.close();
