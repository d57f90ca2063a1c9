// A throw-away self-signed certificate for the stand-in's HTTPS origins (HTTP/2 needs TLS in
// browsers). Made at start with the system's openssl (Debian ships it); clients ignore
// certificate errors (Playwright ignoreHTTPSErrors, node:http2 rejectUnauthorized: false).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsMaterial {
  key: string;
  cert: string;
}

let made: TlsMaterial | null = null;

/** One key pair per process: an EC P-256 key and a 2-day certificate for localhost and 127.0.0.1. */
export function selfSignedCertificate(): TlsMaterial {
  if (made) return made;
  const dir = mkdtempSync(join(tmpdir(), 'hub-standin-tls-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
      ],
      { stdio: 'ignore' },
    );
    made = { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
    return made;
  } catch (e) {
    throw new Error(
      `hub stand-in: could not make a self-signed certificate with openssl (${e instanceof Error ? e.message : String(e)}); use protocol "http1"`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
