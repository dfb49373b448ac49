/**
 * Dossiers as the counter's intake stores them, for tests of the counter database and the sync engine:
 * one shape, so a change to `StoredDossier` is made here once.
 */
import type { CounterDatabase, StoredDossier } from '../../renderer/src/db/database';
import { saveAcceptedDossier, type NewFile } from '../../renderer/src/db/dossiers';
import { dossierIdSchema } from '../../shared/domain/dossier';
import { sha256Hex } from '../../shared/util/bytes';

export interface TestDossierOptions {
  /** Default `Lê Văn Cường <n>`. */
  readonly fullName?: string;
  /** Default: a fixed instant `n` ms after 2026-11-23 09:00 (Vietnam), so the order follows `n`. */
  readonly createdAt?: string;
  /** Component codes of the files in `testDossierWithFiles` / `saveTestDossier`, in order. Default TP1, TP2, … */
  readonly componentCodes?: readonly string[];
  /** File names, in order. Default thanh-phan-1.pdf, thanh-phan-2.pdf, … */
  readonly fileNames?: readonly string[];
  /** Fields a test pins (its code, dates, procedure, recorded duties…), over the defaults. */
  readonly with?: Partial<Omit<StoredDossier, 'id' | 'components'>>;
}

/** Dossier number `n` of 2026-11-23 at unit 000.00.01.H22, one required component TP1 with file `file-<id>`. */
export function testDossier(n: number, opts: TestDossierOptions = {}): StoredDossier {
  const id = dossierIdSchema.parse(crypto.randomUUID());
  return {
    id,
    code: `000.00.01.H22-261123-${String(n).padStart(4, '0')}`,
    procedure: { code: '1.001234', name: 'Đăng ký khai sinh' },
    applicant: { fullName: opts.fullName ?? `Lê Văn Cường ${n}`, idNumber: '001203004567', phone: '0912345678', address: 'Xã Thử Nghiệm, Hà Nội' },
    unit: { code: '000.00.01.H22', name: 'UBND xã Thử Nghiệm' },
    counterNo: 1,
    receivedAt: '2026-11-23T09:15:00+07:00',
    appointmentAt: '2026-11-26T09:15:00+07:00',
    components: [{ code: 'TP1', name: 'Tờ khai', required: true, fileIds: [`file-${id}`] }],
    createdAt: opts.createdAt ?? new Date(Date.UTC(2026, 10, 23, 2, 0, 0, n)).toISOString(),
    ...opts.with,
  };
}

/** Dossier number `n` with one PDF per component TP1, TP2, … — as intake hands them to the save (not saved). */
export function testDossierWithFiles(n: number, pdfs: readonly Uint8Array[], opts: TestDossierOptions = {}): { dossier: StoredDossier; files: NewFile[] } {
  const base = testDossier(n, opts);
  const files: NewFile[] = pdfs.map((bytes, i) => ({
    bytes,
    meta: { id: crypto.randomUUID(), dossierId: base.id, componentCode: opts.componentCodes?.[i] ?? `TP${i + 1}`, name: opts.fileNames?.[i] ?? `thanh-phan-${i + 1}.pdf`, mediaType: 'application/pdf', size: bytes.byteLength, sha256: sha256Hex(bytes), pageCount: 1 },
  }));
  const dossier: StoredDossier = { ...base, components: files.map((f, i) => ({ code: f.meta.componentCode, name: `Thành phần ${i + 1}`, required: true, fileIds: [f.meta.id] })) };
  return { dossier, files };
}

/**
 * Saves dossier number `n` through the app's own save (queued for sending), one PDF per component TP1, TP2, …
 * `chunkSize` as `saveAcceptedDossier` takes it.
 */
export async function saveTestDossier(
  db: CounterDatabase,
  n: number,
  pdfs: readonly Uint8Array[],
  opts: TestDossierOptions & { readonly chunkSize?: number } = {},
): Promise<{ dossier: StoredDossier; files: NewFile[] }> {
  const { dossier, files } = testDossierWithFiles(n, pdfs, opts);
  await saveAcceptedDossier(db, dossier, files, opts.chunkSize ? { chunkSize: opts.chunkSize } : {});
  return { dossier, files };
}
