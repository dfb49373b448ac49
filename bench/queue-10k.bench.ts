/**
 * 10,000 queued dossiers in Chromium's IndexedDB: how long until the queue screen shows its rows, and how
 * long a filter takes to narrow them (goal, issue 20: p95 ≤ 100 ms in the page for both filters; the open ≤ 200 ms).
 *
 * The web host (the real renderer, sync worker included) runs against a central that does not answer, so
 * every dossier stays queued; the 10,000 dossiers (each with one small file, its chunk, its state and
 * outbox row) are written straight into the app's IndexedDB, then the page is reloaded so the app starts
 * with them (the worker's start-up integrity check runs over all of them, as it would on a real counter).
 * Timed twice: from Node with Playwright (round trips included), and inside the page (event → rows in the DOM
 * and one frame). From Node: Alt+2 until the first row is visible (then Alt+1 away), and typing a
 * code into the search box until exactly that row is left.
 *
 * Issue 17 finding 8: the whole measure runs twice in one process — first on a counter writing its database
 * unsealed (config `encryptionAtRest.seal: false`: the "before"), then on one sealing it (the default, "after":
 * the seeded rows are sealed by the app's start-up pass before anything is timed) — and the ratios are printed.
 * `--only sealed|plain` runs one of them.
 *
 * Run: npm run build:renderer && npm run bench:queue   (tsx bench/queue-10k.bench.ts [--dossiers N] [--reps N] [--settle S] [--restart] [--profile] [--only sealed|plain])
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { getTestPki } from '../tests/support/pki';
import { startWebHostProcess } from '../tests/support/web-host-process';

const resultsDir = join(fileURLToPath(new URL('.', import.meta.url)), 'results');

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1] ?? fallback) : fallback;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (ms), the largest first: where the main thread spent the profiled interval. */
function selfTimes(cpu: CpuProfile, top = 15): { fn: string; ms: number }[] {
  const byNode = new Map(cpu.nodes.map((n) => [n.id, n.callFrame]));
  const total = new Map<string, number>();
  cpu.samples.forEach((id, i) => {
    const frame = byNode.get(id);
    const fn = frame ? `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop() ?? ''}:${frame.lineNumber + 1}`.trim() : '?';
    total.set(fn, (total.get(fn) ?? 0) + (cpu.timeDeltas[i] ?? 0) / 1000);
  });
  return [...total].sort((a, b) => b[1] - a[1]).slice(0, top).map(([fn, ms]) => ({ fn, ms: Math.round(ms) }));
}

const summary = (values: readonly number[]) => ({ median: percentile(values, 50), p95: percentile(values, 95), max: Math.max(...values), n: values.length });

type Measured = Record<string, unknown> & { openQueueMs: ReturnType<typeof summary>; filterByCodeMs: ReturnType<typeof summary>; filterByNameMs: ReturnType<typeof summary>; inPage: { openQueueMs: ReturnType<typeof summary>; filterByCodeMs: ReturnType<typeof summary>; filterByNameMs: ReturnType<typeof summary> } };

async function main(): Promise<void> {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const runs: Record<string, Measured> = {};
  for (const mode of ['plain', 'sealed'] as const) {
    if (only && only !== mode) continue;
    console.error(`=== ${mode === 'plain' ? 'before: database unsealed (encryptionAtRest.seal false)' : 'after: database sealed at rest (the default)'} ===`);
    runs[mode] = await measure(mode === 'sealed');
  }
  const { plain, sealed } = runs;
  if (plain && sealed) {
    const ratio = (a: number, b: number) => `${(b / a).toFixed(2)}×`;
    const line = (what: string, a: ReturnType<typeof summary>, b: ReturnType<typeof summary>) => console.log(`${what}: p95 ${a.p95.toFixed(0)} → ${b.p95.toFixed(0)} ms (${ratio(a.p95, b.p95)}), median ${a.median.toFixed(0)} → ${b.median.toFixed(0)} ms`);
    console.log('--- encryption at rest, before (unsealed) → after (sealed), same run ---');
    line('open queue (Playwright)', plain.openQueueMs, sealed.openQueueMs);
    line('filter by code (Playwright)', plain.filterByCodeMs, sealed.filterByCodeMs);
    line('filter by name (Playwright)', plain.filterByNameMs, sealed.filterByNameMs);
    line('open queue (in page)', plain.inPage.openQueueMs, sealed.inPage.openQueueMs);
    line('filter by code (in page)', plain.inPage.filterByCodeMs, sealed.inPage.filterByCodeMs);
    line('filter by name (in page)', plain.inPage.filterByNameMs, sealed.inPage.filterByNameMs);
    console.log(`warm-up (first) open: ${JSON.stringify(plain.warmUpOpenMs)} → ${JSON.stringify(sealed.warmUpOpenMs)} ms; start-up until the search keys were complete: ${String(plain.repairMs)} → ${String(sealed.repairMs)} ms`);
  }
}

async function measure(sealAtRest: boolean): Promise<Measured> {
  const loadAtStart = loadavg();
  const dossiers = option('dossiers', 10_000);
  const reps = option('reps', 20);
  const pki = await getTestPki();
  // Port 9 (discard) on loopback: no central, the queue never drains.
  const host = await startWebHostProcess({ centralUrl: 'http://127.0.0.1:9', signerP12Path: pki.counterSignerP12Path, trustDir: pki.dir, encryptionAtRest: { seal: sealAtRest } });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    await page.goto(host.url);
    await page.getByTestId('sync-indicator').waitFor();

    const phase = (what: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${what} (load ${loadavg()[0]!.toFixed(2)})`);
    phase('seeding');
    const seedStart = performance.now();
    await page.evaluate(async (count) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('motcua-counter');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(new Error('open failed'));
      });
      const names = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường', 'Phạm Thị Dung', 'Hoàng Văn Em', 'Vũ Thị Phương'];
      const base = Date.UTC(2026, 10, 1);
      for (let start = 0; start < count; start += 1000) {
        const tx = db.transaction(['dossiers', 'files', 'fileChunks', 'outbox', 'dossierState'], 'readwrite');
        for (let n = start; n < Math.min(count, start + 1000); n++) {
          const id = crypto.randomUUID();
          const fileId = crypto.randomUUID();
          const data = new TextEncoder().encode(`%PDF-1.7 ho so ${n}`);
          const sha256 = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', data)), (b) => b.toString(16).padStart(2, '0')).join('');
          const createdAt = new Date(base + n * 60_000).toISOString();
          const day = createdAt.slice(2, 10).replace(/-/g, '');
          const code = `000.00.01.H99-${day}-${String((n % 9000) + 1).padStart(4, '0')}`;
          tx.objectStore('dossiers').put({
            id,
            code,
            procedure: { code: '1.001193', name: 'Đăng ký khai sinh' },
            applicant: { fullName: `${names[n % names.length]} ${n}`, idNumber: '001190012345', phone: '0912345678', address: 'Xã Demo' },
            unit: { code: '000.00.01.H99', name: 'UBND xã Demo' },
            counterNo: 1,
            receivedAt: createdAt,
            appointmentAt: new Date(base + n * 60_000 + 3 * 86_400_000).toISOString(),
            components: [{ code: 'KS-01', name: 'Tờ khai', required: true, fileIds: [fileId] }],
            createdAt,
          });
          tx.objectStore('files').put({ id: fileId, dossierId: id, componentCode: 'KS-01', name: 'to-khai.pdf', mediaType: 'application/pdf', size: data.byteLength, sha256, pageCount: 1, chunkSize: 4 * 1024 * 1024, chunkCount: 1 });
          tx.objectStore('fileChunks').put({ fileId, index: 0, data });
          tx.objectStore('outbox').put({ dossierId: id, state: 'waiting', attempts: 0, nextAttemptAt: base, uploads: { [sha256]: { bytesSent: 0, size: data.byteLength } }, bytesTotal: data.byteLength, queuedAt: createdAt, updatedAt: createdAt });
          tx.objectStore('dossierState').put({ dossierId: id, status: 2, appointmentAt: createdAt, supplementRounds: 0, updatedAt: createdAt });
        }
        await new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(new Error('seed failed'));
        });
      }
      db.close();
    }, dossiers);
    const seedMs = performance.now() - seedStart;

    // Start the app again with the full queue, as after a restart of the PC. The raw writes above bypassed
    // Dexie, so the sync worker's start-up repair builds the search keys and byte total (as the v5 upgrade
    // does from an older database); wait for that, and for its integrity check, before timing anything.
    phase('reloading with the full queue');
    const firstReloadAt = Date.now();
    await page.reload();
    await page.getByTestId('sync-indicator').waitFor();
    await page.getByTestId('sync-waiting').filter({ hasText: `${dossiers} hồ sơ` }).waitFor({ timeout: 120_000 });
    const repairStart = performance.now();
    await page.waitForFunction(
      async (count) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open('motcua-counter');
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(new Error('open failed'));
        });
        try {
          // No named helper here: tsx would wrap it in __name(), which the page does not have.
          const search = await new Promise<number>((resolve) => {
            const request = db.transaction('dossierSearch').objectStore('dossierSearch').count();
            request.onsuccess = () => resolve(request.result);
          });
          return search === count;
        } finally {
          db.close();
        }
      },
      dossiers,
      { timeout: 120_000, polling: 500 },
    );
    const repairMs = performance.now() - repairStart;

    // --restart: start the app once more, now on a database as a counter's own would be (search keys built,
    // rows sealed by the app): what a clerk meets after restarting the PC, without the seeding's one-off repair.
    let reloadAt = firstReloadAt;
    if (process.argv.includes('--restart')) {
      // The repair's second step (the byte total) ends with its log line: restarting before it would leave it
      // for the next start, which is not what a counter's own database needs.
      await page.waitForFunction(
        async (since) => {
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const request = indexedDB.open('motcua-counter');
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(new Error('open failed'));
          });
          try {
            const log = await new Promise<{ at: string; event: string }[]>((resolve) => {
              const request = db.transaction('syncLog').objectStore('syncLog').getAll();
              request.onsuccess = () => resolve(request.result as { at: string; event: string }[]);
            });
            return log.some((e) => e.event === 'queue:derived-repaired' && Date.parse(e.at) >= since);
          } finally {
            db.close();
          }
        },
        firstReloadAt,
        { timeout: 180_000, polling: 1000 },
      );
      phase('restarting on the repaired database');
      reloadAt = Date.now();
      await page.reload();
      await page.getByTestId('sync-indicator').waitFor();
      await page.getByTestId('sync-waiting').filter({ hasText: `${dossiers} hồ sơ` }).waitFor({ timeout: 120_000 });
    }

    // --settle S: wait S seconds more, past the app's start-up work (the worker's integrity check, the first
    // spool reconcile pass), to tell that work from the queue screen's own first-open cost.
    const settle = option('settle', 0);
    if (settle > 0) {
      phase(`settling ${settle} s`);
      await page.waitForTimeout(settle * 1000);
    }
    phase('through Playwright');
    const rows = page.locator('table.queue tbody tr');
    const open: number[] = [];
    const openStartedS: number[] = [];
    const firstOpen: number[] = [];
    for (let i = 0; i < reps + 1; i++) {
      await page.keyboard.press('Alt+1');
      await page.getByRole('heading', { name: 'Chọn thủ tục hành chính' }).waitFor();
      const t0 = performance.now();
      if (i > 0) openStartedS.push(Math.round((Date.now() - reloadAt) / 100) / 10);
      await page.keyboard.press('Alt+2');
      await rows.first().waitFor();
      if (i > 0) open.push(performance.now() - t0); // the first is a warm-up
      else firstOpen.push(performance.now() - t0);
    }
    const rowCount = await rows.count();

    const search = page.getByRole('searchbox', { name: 'Tìm theo mã hồ sơ hoặc tên người nộp' });
    const filter: number[] = [];
    const filterByName: number[] = [];
    for (let i = 0; i < reps + 1; i++) {
      // A dossier from anywhere in the queue, old ones included (they are scanned last).
      const n = Math.floor(((i * 7919) % 997) / 997 * dossiers);
      const code = `${String((n % 9000) + 1).padStart(4, '0')}`;
      await search.fill('');
      await rows.nth(1).waitFor();
      const name = `Dung ${n - (n % 6) + 3}`; // "Phạm Thị Dung <k>" typed without diacritics
      let t0 = performance.now();
      await search.fill(name);
      await page.locator('table.queue tbody tr', { hasText: `Phạm Thị Dung ${n - (n % 6) + 3}` }).first().waitFor();
      if (i > 0) filterByName.push(performance.now() - t0);
      await search.fill('');
      await rows.nth(1).waitFor();
      t0 = performance.now();
      await search.fill(`-${code}`);
      await page.locator(`table.queue tbody tr[data-code$="-${code}"]`).first().waitFor();
      if (i > 0) filter.push(performance.now() - t0);
    }

    // The same three measures timed inside the page (event dispatched → matching row in the DOM, then one
    // frame): no Playwright round trips, which on a loaded machine cost more than the app itself.
    const inPage = (args: { key?: string; search?: string; selector: string; text?: string }) =>
      page.evaluate(
        ({ key, search: value, selector, text }) =>
          new Promise<number>((resolve, reject) => {
            const t0 = performance.now();
            // Never wait for ever: say what the page shows instead.
            const timeout = setTimeout(() => {
              observer.disconnect();
              reject(new Error(`no match for ${JSON.stringify({ key, value, text })} after 30 s; page shows: ${document.body.innerText.slice(0, 400)}`));
            }, 30_000);
            const observer = new MutationObserver(() => {
              // Done when rows are shown and, for a search, every row shown matches it.
              const shown = Array.from(document.querySelectorAll(selector));
              if (shown.length === 0 || (text !== undefined && !shown.every((row) => (row.textContent ?? '').includes(text)))) return;
              observer.disconnect();
              clearTimeout(timeout);
              requestAnimationFrame(() => resolve(performance.now() - t0));
            });
            observer.observe(document.body, { childList: true, subtree: true, characterData: true });
            if (key) window.dispatchEvent(new KeyboardEvent('keydown', { key, altKey: true, bubbles: true }));
            if (value !== undefined) {
              // The queue's own box: the intake wizard stays mounted (hidden) with its procedure search first.
              const input = document.querySelector<HTMLInputElement>('section[aria-labelledby="queue-heading"] input[type="search"]')!;
              // React tracks the value through the native setter: set it there, then announce the input.
              Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, value);
              input.dispatchEvent(new Event('input', { bubbles: true }));
            }
          }),
        args,
      );
    phase('in the page');
    const openInPage: number[] = [];
    const codeInPage: number[] = [];
    const nameInPage: number[] = [];
    for (let i = 0; i < reps + 1; i++) {
      await page.keyboard.press('Alt+1');
      await page.getByRole('heading', { name: 'Chọn thủ tục hành chính' }).waitFor();
      const opened = await inPage({ key: '2', selector: 'table.queue tbody tr' });
      const n = Math.floor((((i + 11) * 7919) % 997) / 997 * dossiers);
      const code = `${String((n % 9000) + 1).padStart(4, '0')}`;
      const who = `Phạm Thị Dung ${n - (n % 6) + 3}`;
      const byName = await inPage({ search: `Dung ${n - (n % 6) + 3}`, selector: 'table.queue tbody tr', text: who.slice('Phạm Thị '.length) });
      await search.fill('');
      await rows.nth(1).waitFor();
      const byCode = await inPage({ search: `-${code}`, selector: 'table.queue tbody tr', text: `-${code}` });
      await search.fill('');
      await rows.nth(1).waitFor();
      if (i === 0) firstOpen.push(opened);
      if (i > 0) {
        openInPage.push(opened);
        nameInPage.push(byName);
        codeInPage.push(byCode);
      }
    }

    // --profile: where a filter's time goes. Chromium's sampling profiler over `reps` more in-page filters
    // (self time per function, idle = the main thread waiting, e.g. on IndexedDB in the browser process),
    // and the reads a filter makes timed alone in the page, for comparison.
    let profile: unknown;
    if (process.argv.includes('--profile')) {
      phase('profiling');
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
      const profiled: number[] = [];
      for (let i = 0; i < reps; i++) {
        const n = Math.floor((((i + 31) * 7919) % 997) / 997 * dossiers);
        const who = `Dung ${n - (n % 6) + 3}`;
        profiled.push(await inPage({ search: who, selector: 'table.queue tbody tr', text: who }));
        await search.fill('');
        await rows.nth(1).waitFor();
      }
      const { profile: cpu } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
      const file = join(resultsDir, `queue-10k-filter-${Date.now()}.cpuprofile`);
      await mkdir(resultsDir, { recursive: true });
      await writeFile(file, JSON.stringify(cpu));
      const reads = await page.evaluate(async (times) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open('motcua-counter');
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(new Error('open failed'));
        });
        const allKeys: number[] = [];
        const fifty: number[] = [];
        for (let i = 0; i < times; i++) {
          let t0 = performance.now();
          const keys = await new Promise<IDBValidKey[]>((resolve) => {
            const request = db.transaction('dossierSearch').objectStore('dossierSearch').getAllKeys();
            request.onsuccess = () => resolve(request.result);
          });
          allKeys.push(performance.now() - t0);
          const ids = keys.slice(-50).map((k) => (k as string[])[2]!);
          t0 = performance.now();
          const tx = db.transaction(['dossiers', 'outbox']);
          await Promise.all(
            ids.flatMap((id) =>
              ['dossiers', 'outbox'].map(
                (store) =>
                  new Promise<void>((resolve) => {
                    tx.objectStore(store).get(id).onsuccess = () => resolve();
                  }),
              ),
            ),
          );
          fifty.push(performance.now() - t0);
        }
        db.close();
        return { allKeys, fifty };
      }, reps);
      profile = { file, filterByNameMs: summary(profiled), selfTime: selfTimes(cpu), getAllKeysDossierSearchMs: summary(reads.allKeys), read50DossiersAndOutboxMs: summary(reads.fifty) };
    }

    // What the sync worker wrote to its log since the reload (seconds after it): beside the samples' start
    // times, it shows whether a slow sample met the worker's work.
    const workerLog = await page.evaluate(async (since) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('motcua-counter');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(new Error('open failed'));
      });
      const entries = await new Promise<{ at: string; event: string; details?: unknown }[]>((resolve) => {
        const request = db.transaction('syncLog').objectStore('syncLog').getAll();
        request.onsuccess = () => resolve(request.result as { at: string; event: string; details?: unknown }[]);
      });
      db.close();
      return entries.filter((e) => Date.parse(e.at) >= since).map((e) => `${((Date.parse(e.at) - since) / 1000).toFixed(1)} s ${e.event}${e.details ? ` ${JSON.stringify(e.details)}` : ''}`);
    }, reloadAt);

    const result = {
      date: new Date().toISOString(),
      sealedAtRest: sealAtRest,
      dossiers,
      reps,
      cpus: cpus().length,
      loadavgAtStart: loadAtStart,
      loadavg: loadavg(),
      settleS: settle,
      restarted: process.argv.includes('--restart'),
      seedMs: Math.round(seedMs),
      repairMs: Math.round(repairMs),
      rowsShown: rowCount,
      openQueueMs: summary(open),
      filterByCodeMs: summary(filter),
      filterByNameMs: summary(filterByName),
      inPage: { openQueueMs: summary(openInPage), filterByCodeMs: summary(codeInPage), filterByNameMs: summary(nameInPage) },
      // The warm-ups left out above (through Playwright, then in the page), and every sample in run order.
      warmUpOpenMs: firstOpen.map(Math.round),
      samples: { open: open.map(Math.round), code: filter.map(Math.round), name: filterByName.map(Math.round), openInPage: openInPage.map(Math.round), codeInPage: codeInPage.map(Math.round), nameInPage: nameInPage.map(Math.round) },
      openStartedSecondsAfterReload: openStartedS,
      workerLog: workerLog.slice(0, 200),
      ...(profile ? { profile } : {}),
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(`load average at start ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}, at end ${result.loadavg.map((l) => l.toFixed(2)).join(' ')} (${result.cpus} CPUs)`);
    console.log(`open queue: p95 ${result.openQueueMs.p95.toFixed(0)} ms; filter by code: p95 ${result.filterByCodeMs.p95.toFixed(0)} ms; by name: p95 ${result.filterByNameMs.p95.toFixed(0)} ms (through Playwright)`);
    console.log(`in page: open queue p95 ${result.inPage.openQueueMs.p95.toFixed(0)} ms; filter by code p95 ${result.inPage.filterByCodeMs.p95.toFixed(0)} ms; by name p95 ${result.inPage.filterByNameMs.p95.toFixed(0)} ms (goal: filters ≤ 100 ms)`);
    await mkdir(resultsDir, { recursive: true });
    await writeFile(join(resultsDir, `queue-10k-${Date.now()}.json`), JSON.stringify(result, null, 2));
    return result;
  } finally {
    await browser.close();
    await host.stop();
  }
}

await main();
