/**
 * The certificate `--https` serves when none is given: self-signed, for the names a browser on
 * this machine uses (localhost, 127.0.0.1, ::1), made on first use and kept in a git-ignored
 * folder so that a browser told once to trust it keeps trusting it across restarts.
 */
import { X509Certificate } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "selfsigned";

/** A certificate chain and its private key, PEM-encoded, as `tls.createSecureContext` takes them. */
export interface TlsCredentials {
  cert: string | Buffer;
  key: string | Buffer;
}

/** How long a generated certificate is valid: within the 398 days browsers accept. */
const VALID_DAYS = 365;
/** A stored certificate this close to expiring is made anew. */
const RENEW_BEFORE_MS = 24 * 60 * 60 * 1000;
const CERT_FILE = "localhost.pem";
const KEY_FILE = "localhost-key.pem";

/**
 * `.cert/` at the package's root (git-ignored), whether this module runs from its source
 * (server/) or from the library build (dist/lib/server/).
 */
export const DEFAULT_CERTIFICATE_DIR = (() => {
  const here = dirname(fileURLToPath(import.meta.url));
  const fromLibrary = here.endsWith(join("dist", "lib", "server"));
  return resolve(here, fromLibrary ? "../../../.cert" : "../.cert");
})();

/** A new self-signed certificate for localhost, 127.0.0.1 and ::1, in memory. */
export async function createLocalhostCertificate(now = new Date()): Promise<TlsCredentials> {
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: now,
    notAfterDate: new Date(now.getTime() + VALID_DAYS * 24 * 60 * 60 * 1000),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/**
 * The certificate kept in `dir` (`localhost.pem`, `localhost-key.pem`), made and stored there
 * when missing, unreadable or about to expire. Files are written under a temporary name and
 * renamed, so two servers starting at once never read half a file.
 */
export async function localhostCertificate(
  dir = DEFAULT_CERTIFICATE_DIR,
): Promise<TlsCredentials & { certFile: string; created: boolean }> {
  const certFile = join(dir, CERT_FILE);
  const keyFile = join(dir, KEY_FILE);
  const stored = readStored(certFile, keyFile);
  if (stored) return { ...stored, certFile, created: false };
  const fresh = await createLocalhostCertificate();
  mkdirSync(dir, { recursive: true });
  const suffix = `.${process.pid}.tmp`;
  writeFileSync(keyFile + suffix, fresh.key, { mode: 0o600 });
  writeFileSync(certFile + suffix, fresh.cert);
  renameSync(keyFile + suffix, keyFile);
  renameSync(certFile + suffix, certFile);
  return { ...fresh, certFile, created: true };
}

function readStored(certFile: string, keyFile: string): TlsCredentials | undefined {
  try {
    const cert = readFileSync(certFile, "utf8");
    const key = readFileSync(keyFile, "utf8");
    const validTo = Date.parse(new X509Certificate(cert).validTo);
    if (!(validTo - Date.now() > RENEW_BEFORE_MS)) return undefined;
    return { cert, key };
  } catch {
    return undefined;
  }
}
