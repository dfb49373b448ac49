/**
 * A real PKCS#11 token for tests: SoftHSM2 with its own configuration and token directory in a temp dir.
 * Keys are imported with softhsm2-util (which stores only the key pair) and certificates written with
 * OpenSC's pkcs11-tool under the same CKA_ID, the way CA tools personalise a USB token.
 *
 * SOFTHSM2_CONF is read by the library at C_Initialize, from the environment of the process that loads
 * it: the PKCS#11 worker thread shares this process's environment, so set `process.env.SOFTHSM2_CONF =
 * token.env.SOFTHSM2_CONF` before the key store starts (and pass `env` to child processes such as the CLI).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const SOFTHSM_LIBRARY = '/usr/lib/softhsm/libsofthsm2.so';

interface SoftHsmKey {
  /** CKA_LABEL of the key pair and of its certificate. */
  readonly label: string;
  /** CKA_ID, hex (e.g. '01'). */
  readonly id: string;
  /** Private key file, PEM (PKCS#8 or traditional; converted to PKCS#8 for softhsm2-util). */
  readonly keyPath: string;
  /** The certificate to store beside it (omit for a key without certificate). */
  readonly certDer?: Uint8Array;
}

export interface SoftHsmTokenOptions {
  readonly label: string;
  readonly userPin: string;
  readonly soPin: string;
  readonly keys: readonly SoftHsmKey[];
  /** Extra certificates with no key (a CA certificate stored on the token). */
  readonly caCertificates?: readonly { readonly label: string; readonly id: string; readonly certDer: Uint8Array }[];
}

export interface SoftHsmToken {
  readonly library: string;
  readonly env: { readonly SOFTHSM2_CONF: string };
  readonly dir: string;
  readonly label: string;
  /** Deletes the token (as if it were pulled out and wiped): `softhsm2-util --delete-token`. */
  deleteToken(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function createSoftHsmToken(opts: SoftHsmTokenOptions): Promise<SoftHsmToken> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'motcua-softhsm-'));
  const tokenDir = path.join(dir, 'tokens');
  await mkdir(tokenDir);
  const conf = path.join(dir, 'softhsm2.conf');
  await writeFile(conf, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  const tool = (cmd: string, args: string[]): Promise<{ stdout: string; stderr: string }> => run(cmd, args, { env });

  try {
    await tool('softhsm2-util', ['--init-token', '--free', '--label', opts.label, '--pin', opts.userPin, '--so-pin', opts.soPin]);
    for (const [i, key] of opts.keys.entries()) {
      const pkcs8 = path.join(dir, `key-${i}.pk8.pem`);
      await run('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', key.keyPath, '-out', pkcs8]);
      await tool('softhsm2-util', ['--import', pkcs8, '--token', opts.label, '--label', key.label, '--id', key.id, '--pin', opts.userPin]);
      await rm(pkcs8, { force: true });
      if (key.certDer) await writeCertificate(tool, dir, opts, { label: key.label, id: key.id, certDer: key.certDer });
    }
    for (const ca of opts.caCertificates ?? []) await writeCertificate(tool, dir, opts, ca);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    library: SOFTHSM_LIBRARY,
    env: { SOFTHSM2_CONF: conf },
    dir,
    label: opts.label,
    async deleteToken() {
      await tool('softhsm2-util', ['--delete-token', '--token', opts.label]);
    },
    async cleanup() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function writeCertificate(
  tool: (cmd: string, args: string[]) => Promise<unknown>,
  dir: string,
  opts: SoftHsmTokenOptions,
  cert: { label: string; id: string; certDer: Uint8Array },
): Promise<void> {
  const certFile = path.join(dir, `cert-${cert.id}.der`);
  await writeFile(certFile, cert.certDer);
  await tool('pkcs11-tool', [
    '--module', SOFTHSM_LIBRARY,
    '--token-label', opts.label,
    '--login', '--pin', opts.userPin,
    '--write-object', certFile, '--type', 'cert',
    '--id', cert.id, '--label', cert.label,
  ]);
}
