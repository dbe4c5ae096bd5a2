/**
 * Throwaway key material made with the openssl CLI: a CA plus a server certificate for
 * 127.0.0.1/localhost (TLS modes), and a self-signed token-signing certificate (token mode).
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Files of a throwaway CA and the server certificate it signed. */
export interface TlsMaterial {
  /** PEM of the CA certificate: what clients must trust. */
  caPem: string;
  /** Path of the CA certificate (for NODE_EXTRA_CA_CERTS in child processes). */
  caPath: string;
  /** Server certificate (SAN IP:127.0.0.1, DNS:localhost) and its key. */
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
}

/** A self-signed certificate and its private key, used to sign and verify registry tokens. */
export interface SigningMaterial {
  keyPem: string;
  certPem: string;
  certPath: string;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (err: unknown) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim()}`, { cause: err });
  }
}

// EC P-256 keys are generated in milliseconds, RSA in hundreds: tests start many registries.
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

// openssl argument lists, split on spaces (no argument contains one except the subjects, added apart).
const CA_ARGS = 'req -x509 -days 2 -keyout ca.key -out ca.crt'.split(' ');
const CSR_ARGS = 'req -keyout server.key -out server.csr'.split(' ');
const SIGN_ARGS =
  'x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext -out server.crt'.split(
    ' ',
  );
// Go's TLS stack ignores the CN: the IP SAN is what makes https://127.0.0.1 verify.
const SERVER_EXTENSIONS =
  'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n';

/** Creates a CA and a server certificate for 127.0.0.1 and localhost in `dir` (which must exist). */
export async function createTlsMaterial(dir: string): Promise<TlsMaterial> {
  const file = (name: string) => path.join(dir, name);
  await openssl([...CA_ARGS, ...EC_KEY, '-subj', '/CN=ar-mirror test CA'], dir);
  await openssl([...CSR_ARGS, ...EC_KEY, '-subj', '/CN=127.0.0.1'], dir);
  await writeFile(file('server.ext'), SERVER_EXTENSIONS);
  await openssl(SIGN_ARGS, dir);
  const [caPem = '', certPem = '', keyPem = ''] = await Promise.all(
    ['ca.crt', 'server.crt', 'server.key'].map((name) => readFile(file(name), 'utf8')),
  );
  return {
    caPem,
    caPath: file('ca.crt'),
    certPath: file('server.crt'),
    keyPath: file('server.key'),
    certPem,
    keyPem,
  };
}

/** Creates a self-signed EC P-256 signing certificate (the registry's `rootcertbundle`) in `dir`. */
export async function createSigningMaterial(dir: string): Promise<SigningMaterial> {
  await openssl(
    ['req', '-x509', ...EC_KEY, '-days', '2', '-subj', '/CN=ar-mirror test token signer'].concat([
      '-keyout',
      'token.key',
      '-out',
      'token.crt',
    ]),
    dir,
  );
  const [keyPem, certPem] = await Promise.all([
    readFile(path.join(dir, 'token.key'), 'utf8'),
    readFile(path.join(dir, 'token.crt'), 'utf8'),
  ]);
  return { keyPem, certPem, certPath: path.join(dir, 'token.crt') };
}
