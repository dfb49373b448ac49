/**
 * A test certificate authority on OpenSSL (a real component, not a mock): issues RSA and EC end-entity
 * certificates for signing, time-stamping and OCSP, revokes them, and publishes CRLs. Each call to
 * `createTestCa` makes a fresh CA in its own directory; nothing is committed. Calls on one CA are safe in
 * parallel: they are queued.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type KeyType = 'rsa' | 'ec-p256' | 'ec-p384';
type CertUsage = 'signing' | 'tsa' | 'ocsp' | 'encryption-only';

interface IssueOptions {
  /** Subject common name (UTF-8). */
  readonly commonName: string;
  readonly organisation?: string;
  readonly keyType?: KeyType;
  readonly usage?: CertUsage;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** Written as the CRL distribution point / OCSP responder of the issued certificate. */
  readonly crlUrl?: string;
  readonly ocspUrl?: string;
}

export interface IssuedCert {
  readonly serialHex: string;
  readonly keyPath: string;
  readonly certPath: string;
  readonly certDer: Uint8Array;
  /** PKCS#12 with the key, the certificate and the root (password `password`). */
  p12(password: string): Promise<string>;
}

export interface TestCa {
  readonly dir: string;
  readonly rootCertPath: string;
  readonly rootKeyPath: string;
  readonly rootDer: Uint8Array;
  issue(opts: IssueOptions): Promise<IssuedCert>;
  revoke(cert: IssuedCert, reason?: 'keyCompromise' | 'superseded'): Promise<void>;
  /** A CRL signed by the root; `nextUpdateHours` defaults to 24. */
  crl(opts?: { nextUpdateHours?: number }): Promise<Uint8Array>;
  /** Files `openssl ocsp` needs to act as this CA's responder. */
  readonly ocspIndexPath: string;
}

const opensslTime = (d: Date): string => d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';

function caConfig(dir: string): string {
  return `[ ca ]
default_ca = test_ca
[ test_ca ]
dir = ${dir}
database = $dir/index.txt
new_certs_dir = $dir/issued
serial = $dir/serial
crlnumber = $dir/crlnumber
certificate = $dir/root.pem
private_key = $dir/root.key
default_md = sha256
default_crl_days = 1
policy = policy_any
unique_subject = no
copy_extensions = none
utf8 = yes
string_mask = utf8only
[ policy_any ]
commonName = supplied
organizationName = optional
[ root_ext ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ req ]
distinguished_name = dn
utf8 = yes
string_mask = utf8only
[ dn ]
`;
}

function extensions(opts: IssueOptions): string {
  const lines = ['basicConstraints = critical, CA:false', 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid'];
  switch (opts.usage ?? 'signing') {
    case 'signing':
      lines.push('keyUsage = critical, digitalSignature, nonRepudiation');
      break;
    case 'tsa':
      lines.push('keyUsage = critical, digitalSignature', 'extendedKeyUsage = critical, timeStamping');
      break;
    case 'ocsp':
      lines.push('keyUsage = critical, digitalSignature', 'extendedKeyUsage = OCSPSigning');
      break;
    case 'encryption-only':
      lines.push('keyUsage = critical, keyEncipherment');
      break;
  }
  if (opts.crlUrl) lines.push(`crlDistributionPoints = URI:${opts.crlUrl}`);
  if (opts.ocspUrl) lines.push(`authorityInfoAccess = OCSP;URI:${opts.ocspUrl}`);
  return `[ ext ]\n${lines.join('\n')}\n`;
}

async function newKey(keyPath: string, keyType: KeyType): Promise<void> {
  const args =
    keyType === 'rsa'
      ? ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyPath]
      : ['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${keyType === 'ec-p256' ? 'P-256' : 'P-384'}`, '-out', keyPath];
  await run('openssl', args);
}

export async function createTestCa(parentDir?: string): Promise<TestCa> {
  const dir = parentDir ? await mkdtemp(path.join(parentDir, 'ca-')) : await mkdtemp(path.join(os.tmpdir(), 'motcua-test-ca-'));
  await mkdir(path.join(dir, 'issued'));
  await writeFile(path.join(dir, 'index.txt'), '');
  await writeFile(path.join(dir, 'serial'), '1000\n');
  await writeFile(path.join(dir, 'crlnumber'), '1000\n');
  const config = path.join(dir, 'openssl.cnf');
  await writeFile(config, caConfig(dir));
  const rootKeyPath = path.join(dir, 'root.key');
  const rootCertPath = path.join(dir, 'root.pem');
  await newKey(rootKeyPath, 'rsa');
  await run('openssl', ['req', '-config', config, '-new', '-x509', '-key', rootKeyPath, '-out', rootCertPath, '-days', '3650', '-subj', '/CN=Motcua Test Root CA/O=Motcua Test', '-extensions', 'root_ext', '-utf8']);
  await run('openssl', ['x509', '-in', rootCertPath, '-outform', 'DER', '-out', path.join(dir, 'root.der')]);
  const rootDer = new Uint8Array(await readFile(path.join(dir, 'root.der')));
  let counter = 0;
  // `openssl ca` rewrites its index and serial files: operations on one CA run one at a time, whoever calls.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(operation: () => Promise<T>): Promise<T> => {
    const result = queue.then(operation, operation);
    queue = result.catch(() => undefined);
    return result;
  };

  const ca: TestCa = {
    dir,
    rootCertPath,
    rootKeyPath,
    rootDer,
    ocspIndexPath: path.join(dir, 'index.txt'),
    issue: (opts) => serial(async () => {
      const name = `ee-${++counter}`;
      const keyPath = path.join(dir, `${name}.key`);
      const csrPath = path.join(dir, `${name}.csr`);
      const certPath = path.join(dir, `${name}.pem`);
      const extPath = path.join(dir, `${name}.ext`);
      await newKey(keyPath, opts.keyType ?? 'rsa');
      const subject = `/CN=${opts.commonName}${opts.organisation ? `/O=${opts.organisation}` : ''}`;
      await run('openssl', ['req', '-config', config, '-new', '-key', keyPath, '-out', csrPath, '-subj', subject, '-utf8']);
      await writeFile(extPath, extensions(opts));
      const notBefore = opts.notBefore ?? new Date(Date.now() - 86_400_000);
      const notAfter = opts.notAfter ?? new Date(Date.now() + 365 * 86_400_000);
      await run('openssl', ['ca', '-batch', '-config', config, '-in', csrPath, '-out', certPath, '-notext', '-startdate', opensslTime(notBefore), '-enddate', opensslTime(notAfter), '-extfile', extPath, '-extensions', 'ext']);
      const derPath = certPath.replace(/\.pem$/, '.der');
      await run('openssl', ['x509', '-in', certPath, '-outform', 'DER', '-out', derPath]);
      const { stdout } = await run('openssl', ['x509', '-in', certPath, '-noout', '-serial']);
      const serialHex = stdout.trim().replace(/^serial=/, '').toLowerCase();
      return {
        serialHex,
        keyPath,
        certPath,
        certDer: new Uint8Array(await readFile(derPath)),
        async p12(password) {
          const p12Path = path.join(dir, `${name}.p12`);
          await run('openssl', ['pkcs12', '-export', '-inkey', keyPath, '-in', certPath, '-certfile', rootCertPath, '-out', p12Path, '-passout', `pass:${password}`, '-keypbe', 'AES-256-CBC', '-certpbe', 'AES-256-CBC', '-macalg', 'sha256']);
          return p12Path;
        },
      };
    }),
    revoke: (cert, reason = 'keyCompromise') =>
      serial(async () => {
        await run('openssl', ['ca', '-batch', '-config', config, '-revoke', cert.certPath, '-crl_reason', reason]);
      }),
    crl: (opts) => serial(async () => {
      const crlPath = path.join(dir, `crl-${++counter}.pem`);
      await run('openssl', ['ca', '-batch', '-config', config, '-gencrl', '-out', crlPath, '-crlhours', String(opts?.nextUpdateHours ?? 24)]);
      const derPath = crlPath.replace(/\.pem$/, '.der');
      await run('openssl', ['crl', '-in', crlPath, '-outform', 'DER', '-out', derPath]);
      return new Uint8Array(await readFile(derPath));
    }),
  };
  return ca;
}
