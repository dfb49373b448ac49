/**
 * `motcua verify <file.pdf> [--trust <dir-or-pem>] [--offline] [--lab-network] [--allow-port <n>]…`: prints the signature report
 * as JSON, with each signature's revocation status now (CRL/OCSP fetched from the certificate's own addresses
 * unless --offline, only for chains that reach a --trust anchor and only to public addresses on ports 80/443;
 * --lab-network allows loopback/private responders, for a test CA; --allow-port adds a port). Refusals are listed, coded, with their
 * Vietnamese message. Exit 0 only when the report is valid and no certificate is revoked; 1 when not (or the file is
 * not a PDF); 2 on bad usage.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { signatureCertificates, verifyPdfSignatures } from '../../../shared/pdf/verify-pdf';
import { RevocationService } from '../../services/signing/revocation';
import type { RevocationFetchPolicy } from '../../services/signing/revocation-fetch';
import { vietnameseMessage } from '../../services/signing/cli-support';
import { describeError } from '../../../shared/i18n/error-messages';
import { loadCertificates } from '../../services/signing/trust-store';

const usage = 'Cách dùng: motcua verify <tệp.pdf> [--trust <thư mục hoặc tệp .pem/.der chứng thư gốc>] [--offline] [--lab-network] [--allow-port <cổng>]';

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { trust: { type: 'string', multiple: true }, offline: { type: 'boolean', default: false }, 'lab-network': { type: 'boolean', default: false }, 'allow-port': { type: 'string', multiple: true } } });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
    return 2;
  }
  const file = parsed.positionals[0];
  if (!file || parsed.positionals.length > 1) {
    console.error(usage);
    return 2;
  }
  const extraPorts = (parsed.values['allow-port'] ?? []).map(Number);
  if (extraPorts.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
    console.error(`--allow-port cần một số cổng từ 1 đến 65535.\n${usage}`);
    return 2;
  }
  const trustAnchorsDer: Uint8Array[] = [];
  for (const source of parsed.values.trust ?? []) {
    try {
      trustAnchorsDer.push(...(await loadCertificates(source)));
    } catch {
      console.error(`Không đọc được chứng thư gốc từ "${source}".`);
      return 2;
    }
  }
  if (trustAnchorsDer.length === 0) console.error('Chưa chỉ định chứng thư gốc tin cậy (--trust): chuỗi chứng thư sẽ không được tin cậy.');

  let pdf: Uint8Array;
  try {
    pdf = new Uint8Array(await readFile(file));
  } catch {
    console.error(`Không đọc được tệp "${file}".`);
    return 2;
  }
  try {
    const report = verifyPdfSignatures(pdf, { trustAnchorsDer });
    const revocation = parsed.values.offline ? null : await revocationStatus(pdf, trustAnchorsDer, { allowPrivateNetworks: parsed.values['lab-network'], allowedPorts: [80, 443, ...extraPorts] });
    const signatures = report.signatures.map((s, i) => ({ ...s, revocation: revocation?.[i] ?? { status: 'not-checked' } }));
    console.log(JSON.stringify({ ...report, signatures }, null, 2));
    const revoked = revocation?.some((r) => r.status === 'revoked') ?? false;
    return report.valid && !revoked ? 0 : 1;
  } catch (err) {
    console.error(vietnameseMessage(err));
    return 1;
  }
}

/** Each signature's revocation status now, from CRL/OCSP fetched into a throw-away cache. */
async function revocationStatus(
  pdf: Uint8Array,
  trustAnchorsDer: readonly Uint8Array[],
  fetchPolicy: Partial<RevocationFetchPolicy>,
): Promise<{ status: string; source?: string; thisUpdate?: string; problems?: { code: string; message: string }[] }[]> {
  const cache = await mkdtemp(path.join(os.tmpdir(), 'motcua-verify-'));
  try {
    const service = new RevocationService({ dataDir: cache, fetchPolicy });
    return await Promise.all(
      signatureCertificates(pdf).map(async (chainDer) => {
        if (!chainDer) return { status: 'unknown' };
        const problems = (await service.refresh(chainDer, trustAnchorsDer)).flatMap((o) => o.problems).map((p) => ({ code: p.code, message: describeError('vi', p.code, p.details) }));
        const { status, source, thisUpdate } = (await service.check(chainDer, trustAnchorsDer, new Date(), { maxRevocationAgeMs: Infinity, requireRevocation: false })).revocation;
        return { status, ...(source ? { source } : {}), ...(thisUpdate ? { thisUpdate } : {}), ...(problems.length ? { problems } : {}) };
      }),
    );
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
}
