/**
 * The OCR pool's scheduling (electron/services/imaging/ocr-pool.ts): pages are read `lanes` at a time, a failing
 * page fails alone, results belong to their own call whatever order they finish in, and close() stops everything.
 * The lanes' engines here are readers whose pages finish when the test says so (the engines themselves are
 * tested with real tesseract in tests/integration/ocr-native.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import type { OcrPage } from '../../../shared/imaging/processing';
import { OcrPool, defaultOcrLanes, type PageReader } from '../../../electron/services/imaging/ocr-pool';

interface Reading {
  readonly name: string;
  finish(word: string): void;
  fail(reason: string): void;
}

/** Engines whose pages wait until the test finishes them; records what was started and closed. */
function controlledEngines() {
  const readings: Reading[] = [];
  let opened = 0;
  let closed = 0;
  const open = (): Promise<PageReader> => {
    opened++;
    return Promise.resolve({
      kind: 'wasm',
      recognize: (_image, size, name = 'page') =>
        new Promise<OcrPage>((resolve, reject) => {
          readings.push({
            name,
            finish: (word) => resolve({ ...size, words: [{ text: word, x0: 0, x1: 1, y0: 0, y1: 1 }] }),
            fail: (reason) => reject(new AppError('IMAGING_OCR_FAILED', { name, reason })),
          });
        }),
      close: () => {
        closed++;
        return Promise.resolve();
      },
    });
  };
  return { open, readings, opened: () => opened, closed: () => closed };
}

const page = new Uint8Array([1]);
const size = { widthPx: 10, heightPx: 20 };
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
const words = (p: OcrPage) => p.words.map((w) => w.text);

describe('OcrPool', () => {
  it('reads two pages at once with two lanes, and one at a time with one lane', async () => {
    const two = controlledEngines();
    const pool = new OcrPool({ lanes: 2, open: two.open });
    const a = pool.recognize(page, size, 'a');
    const b = pool.recognize(page, size, 'b');
    const c = pool.recognize(page, size, 'c');
    await settle();
    expect(two.readings.map((r) => r.name)).toEqual(['a', 'b']);
    expect(pool.queued).toBe(3);
    two.readings[0]?.finish('một');
    await settle();
    // The lane that finished takes the waiting page.
    expect(two.readings.map((r) => r.name)).toEqual(['a', 'b', 'c']);
    two.readings[1]?.finish('hai');
    two.readings[2]?.finish('ba');
    expect([words(await a), words(await b), words(await c)]).toEqual([['một'], ['hai'], ['ba']]);
    expect(two.opened()).toBe(2);

    const one = controlledEngines();
    const single = new OcrPool({ lanes: 1, open: one.open });
    const first = single.recognize(page, size, 'a');
    const second = single.recognize(page, size, 'b');
    await settle();
    expect(one.readings.map((r) => r.name)).toEqual(['a']);
    one.readings[0]?.finish('x');
    await first;
    await settle();
    one.readings[1]?.finish('y');
    expect(words(await second)).toEqual(['y']);
  });

  it('gives each page its own words whatever order the lanes finish in', async () => {
    const engines = controlledEngines();
    const pool = new OcrPool({ lanes: 2, open: engines.open });
    const a = pool.recognize(page, { widthPx: 100, heightPx: 100 }, 'a');
    const b = pool.recognize(page, { widthPx: 200, heightPx: 200 }, 'b');
    await settle();
    engines.readings[1]?.finish('sau');
    expect(await b).toMatchObject({ widthPx: 200, words: [{ text: 'sau' }] });
    engines.readings[0]?.finish('trước');
    expect(await a).toMatchObject({ widthPx: 100, words: [{ text: 'trước' }] });
  });

  it('a page that fails fails alone: its lane reads the next page', async () => {
    const engines = controlledEngines();
    const pool = new OcrPool({ lanes: 1, open: engines.open });
    const bad = pool.recognize(page, size, 'hỏng');
    const good = pool.recognize(page, size, 'tốt');
    await settle();
    engines.readings[0]?.fail('no result after 90 s');
    await expect(bad).rejects.toMatchObject({ code: 'IMAGING_OCR_FAILED', details: { name: 'hỏng', reason: 'no result after 90 s' } });
    await settle();
    expect(engines.readings.map((r) => r.name)).toEqual(['hỏng', 'tốt']);
    engines.readings[1]?.finish('được');
    expect(words(await good)).toEqual(['được']);
  });

  it('an engine that cannot start fails its page as IMAGING_OCR_FAILED and is started again for the next page', async () => {
    let attempts = 0;
    const engines = controlledEngines();
    const pool = new OcrPool({
      lanes: 1,
      open: () => (++attempts === 1 ? Promise.reject(new Error('vie.traineddata missing')) : engines.open()),
    });
    await expect(pool.recognize(page, size, 'p1')).rejects.toMatchObject({ code: 'IMAGING_OCR_FAILED', details: { name: 'p1', reason: 'vie.traineddata missing' } });
    const next = pool.recognize(page, size, 'p2');
    await settle();
    engines.readings[0]?.finish('chữ');
    expect(words(await next)).toEqual(['chữ']);
    expect(attempts).toBe(2);
  });

  it('close() fails the pages being read and those waiting, closes every engine, and a later page starts afresh', async () => {
    const engines = controlledEngines();
    const pool = new OcrPool({ lanes: 2, open: engines.open });
    const pages = ['a', 'b', 'c'].map((name) => pool.recognize(page, size, name));
    await settle();
    await pool.close();
    for (const [i, p] of pages.entries()) await expect(p).rejects.toMatchObject({ code: 'IMAGING_OCR_FAILED', details: { name: ['a', 'b', 'c'][i], reason: 'closed' } });
    expect(engines.closed()).toBe(2);
    expect(pool.queued).toBe(0);
    // A late answer from a stopped engine goes nowhere.
    engines.readings[0]?.finish('muộn');
    const again = pool.recognize(page, size, 'd');
    await settle();
    expect(engines.opened()).toBe(3);
    engines.readings.at(-1)?.finish('mới');
    expect(words(await again)).toEqual(['mới']);
  });

  it('defaults to one lane per core, at most two', () => {
    expect([1, 2, 4, 16].map((cores) => defaultOcrLanes(cores))).toEqual([1, 2, 2, 2]);
  });
});
