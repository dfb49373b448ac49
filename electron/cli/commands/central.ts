/**
 * `motcua central [--port 8787] [--host 127.0.0.1] [--data <dir>] [--trust <dir-or-pem>...] [--demo] [--pki <dir>]`
 *
 * Runs the reference central in this process until SIGINT/SIGTERM. It trusts the roots given with --trust;
 * with --demo it also trusts the demo PKI root — the one the counter's demo signer uses
 * (`.motcua-data/counter/pki` by default). Neither: it refuses to start (issue 17: trusting the demo root
 * must be asked for, never what a forgotten option falls back to).
 */
import path from 'node:path';
import { centralUsage, runCentralCli, type CentralCliDefaults } from '../../../central/src/main';
import { ensureDemoPki } from '../../services/signing/demo-pki';
import { adminSubcommands, runAdmin, type AdminSubcommand } from './central-admin';

const DEFAULT_PKI_DIR = '.motcua-data/counter/pki';

/**
 * `hooks.testHooks` lets the tests' entry (tests/support/central-test-entry.ts) turn on fault injection; the
 * `motcua` CLI calls `run(args)` only.
 */
export async function run(args: string[], hooks: Pick<CentralCliDefaults, 'testHooks'> = {}): Promise<number> {
  // Back-office subcommands talk to a running central (central-admin.ts); anything else runs one.
  const [first, ...others] = args;
  if (first && (adminSubcommands as readonly string[]).includes(first)) return runAdmin(first as AdminSubcommand, others);
  // --demo and --pki belong to this wrapper; everything else goes to the central's own parser.
  const rest: string[] = [];
  let demo = false;
  let pkiDir = DEFAULT_PKI_DIR;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--demo') demo = true;
    else if (arg === '--pki') {
      const next = args[++i];
      if (!next) {
        console.error(`--pki cần một thư mục.\n${centralUsage}  [--demo] [--pki <thư mục>]`);
        return 2;
      }
      pkiDir = next;
    } else if (arg.startsWith('--pki=')) pkiDir = arg.slice('--pki='.length);
    else rest.push(arg);
  }

  const demoTrust = async (): Promise<Uint8Array[]> => {
    const pki = await ensureDemoPki(path.resolve(pkiDir));
    console.log(`Tin cậy chứng thư gốc thử nghiệm: ${pki.rootCaPemPath}`);
    return [pki.rootDer];
  };
  if (demo) {
    // --demo adds the demo root to any --trust given.
    const { loadTrustAnchors } = await import('../../../central/src/trust');
    const trustPaths = collectTrust(rest);
    if (trustPaths.length) {
      const extra = await loadTrustAnchors(trustPaths);
      return runCentralCli(withoutTrust(rest), { ...hooks, defaultTrust: async () => [...(await demoTrust()), ...extra], defaultDataDir: '.motcua-data/central' });
    }
    return runCentralCli(rest, { ...hooks, defaultTrust: demoTrust, defaultDataDir: '.motcua-data/central' });
  }
  return runCentralCli(rest, { ...hooks, defaultDataDir: '.motcua-data/central' });
}

function collectTrust(args: readonly string[]): string[] {
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--trust' && args[i + 1]) paths.push(args[++i] ?? '');
    else if (arg.startsWith('--trust=')) paths.push(arg.slice('--trust='.length));
  }
  return paths;
}

function withoutTrust(args: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--trust') i++;
    else if (!arg.startsWith('--trust=')) kept.push(arg);
  }
  return kept;
}
