import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';

/** A CA file that cannot be used; the message names the file and why, never its content. */
export class CertificateFileError extends Error {
  override readonly name = 'CertificateFileError';
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The PEM certificates in `file`, each checked to parse as X.509. Throws CertificateFileError
 * when the file is unreadable, holds no certificate (a private key given by mistake, a DER
 * file) or holds a broken one. Nothing of the content is quoted: a wrong file may be a key.
 */
export function readCertificates(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a directory' : (code ?? 'unreadable');
    throw new CertificateFileError(`cannot read CA file ${file} (${why})`);
  }
  const certificates = text.match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0) {
    throw new CertificateFileError(`CA file ${file} holds no PEM certificate (a "-----BEGIN CERTIFICATE-----" block)`);
  }
  certificates.forEach((pem, index) => {
    try {
      new X509Certificate(pem);
    } catch (error) {
      const which = certificates.length === 1 ? 'its certificate' : `certificate ${index + 1} of ${certificates.length}`;
      throw new CertificateFileError(`CA file ${file}: ${which} is not a valid X.509 certificate (${(error as Error).message})`);
    }
  });
  return certificates;
}
