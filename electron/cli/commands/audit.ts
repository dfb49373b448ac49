/**
 * `motcua audit verify [--file <audit-log.jsonl>] [--central <url> --device <deviceId>] [--admin-token-file <file>]`
 * (issue 17, finding 9):
 *
 * - `--file`: checks a counter's audit log (its `<dataDir>/audit-log.jsonl`) by itself: the first bad seq and why
 *   (an edit, a deletion, a reorder, a damaged line).
 * - `--central` + `--device`: what the central holds for that device (entries, head) and the breaks it recorded.
 * - both: also compares the file with the central's copy, entry by entry: an entry edited (even with its hash
 *   recomputed) or removed from the file after it was synced is found here.
 *
 * The back-office token comes from MOTCUA_CENTRAL_ADMIN_TOKEN or --admin-token-file, never the command line.
 * Prints a JSON report; exit 0 when everything checked is intact, 1 when not, 2 on bad usage.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { pathFor } from '../../../shared/sync/api-contract';
import { auditEntryHash, auditEntrySchema, parseAuditLines, verifyAuditChain, type AuditBreak, type AuditEntry } from '../../../shared/audit/chain';

const usage = 'Cách dùng: motcua audit verify [--file <audit-log.jsonl>] [--central <url> --device <mã máy>] [--admin-token-file <tệp>]   (mã quản trị: biến MOTCUA_CENTRAL_ADMIN_TOKEN hoặc --admin-token-file)';

interface CentralAuditState {
  readonly entries: number;
  readonly head: { readonly seq: number; readonly hash: string } | null;
  readonly breaks: readonly AuditBreak[];
}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify') {
    console.error(usage);
    return 2;
  }
  const { values } = parseArgs({ args: rest, options: { file: { type: 'string' }, central: { type: 'string' }, device: { type: 'string' }, 'admin-token-file': { type: 'string' } } });
  if (!values.file && !values.central) {
    console.error(usage);
    return 2;
  }
  if (Boolean(values.central) !== Boolean(values.device)) {
    console.error(`--central và --device phải đi cùng nhau.\n${usage}`);
    return 2;
  }
  const report: Record<string, unknown> = {};
  let intact = true;

  const lines = values.file ? parseAuditLines(await readFile(values.file, 'utf8')) : undefined;
  if (lines) {
    const check = verifyAuditChain(lines);
    report.file = check.ok ? { path: values.file, ok: true, entries: check.count, lastSeq: check.last?.seq ?? 0 } : { path: values.file, ok: false, entriesBeforeBreak: check.count, break: check.break };
    intact &&= check.ok;
  }

  if (values.central && values.device) {
    const token = await adminToken(values['admin-token-file']);
    if (!token) {
      console.error(`Không có mã quản trị: đặt biến MOTCUA_CENTRAL_ADMIN_TOKEN hoặc dùng --admin-token-file.\n${usage}`);
      return 2;
    }
    const get = async (pathname: string): Promise<unknown> => {
      const res = await fetch(new URL(pathname, values.central), { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`${pathname}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
      return res.json();
    };
    const state = (await get(pathFor('adminAuditDevice', { deviceId: values.device }))) as CentralAuditState;
    report.central = { deviceId: values.device, ok: state.breaks.length === 0, entries: state.entries, lastSeq: state.head?.seq ?? 0, breaks: state.breaks };
    intact &&= state.breaks.length === 0;

    if (lines) {
      // The central's copy is the reference for everything it holds: the file must match it seq by seq.
      const fileBySeq = new Map<number, AuditEntry>();
      for (const line of lines) {
        const parsed = auditEntrySchema.safeParse(line);
        if (parsed.success) fileBySeq.set((parsed.data as AuditEntry).seq, parsed.data as AuditEntry);
      }
      const differences: AuditBreak[] = [];
      for (let after = 0; after < (state.head?.seq ?? 0); ) {
        const page = ((await get(`${pathFor('adminAuditEntries', { deviceId: values.device })}?after=${after}&limit=1000`)) as { entries: AuditEntry[] }).entries;
        if (page.length === 0) break;
        for (const held of page) {
          const inFile = fileBySeq.get(held.seq);
          if (!inFile) differences.push({ seq: held.seq, reason: 'missing' });
          // The content is compared, not only the hash written beside it (an editor may leave that as it was).
          else if (inFile.hash !== held.hash || auditEntryHash(inFile) !== held.hash) differences.push({ seq: held.seq, reason: 'edited-after-sync' });
        }
        after = page[page.length - 1]?.seq ?? after + 1;
      }
      report.comparison = { ok: differences.length === 0, firstDifference: differences[0] ?? null, differences: differences.length };
      intact &&= differences.length === 0;
    }
  }
  console.log(JSON.stringify(report, null, 2));
  console.error(intact ? 'Nhật ký thao tác nguyên vẹn.' : 'Nhật ký thao tác KHÔNG nguyên vẹn: xem báo cáo ở trên (mục đầu tiên bị sửa, xóa hoặc đảo thứ tự).');
  return intact ? 0 : 1;
}

async function adminToken(file: string | undefined): Promise<string | undefined> {
  if (file) return (await readFile(file, 'utf8')).trim();
  return process.env.MOTCUA_CENTRAL_ADMIN_TOKEN;
}
