import path from 'node:path';
import { ConfigError } from '../config/normalize.js';
import { CertificateFileError, readCertificates } from './certificates.js';
import { proxyFor, type ProxyRoute } from './proxy.js';

/**
 * How one provider's connections are made, decided once per client from the environment and
 * the provider's config, and applied alike by both transports.
 */
export interface Connection {
  /** Send requests through this proxy (from HTTPS_PROXY / HTTP_PROXY, unless NO_PROXY says not). */
  readonly proxy?: ProxyRoute;
  /**
   * Trust only these certificates (PEM) for the provider's TLS, as curl's `--cacert` does;
   * undefined for Node's defaults (its bundled roots plus NODE_EXTRA_CA_CERTS).
   */
  readonly ca?: readonly string[];
}

/** What of a provider's config decides its connections. */
export interface ConnectionSettings {
  readonly name: string;
  readonly baseURL: string;
  /** A PEM file of the CAs this provider's certificate is checked against (made absolute by the config loader). */
  readonly ca?: string | undefined;
}

/**
 * The connection settings for one provider. Throws ConfigError naming the provider's `ca` when
 * its file cannot be used (a library user's config never went through the loader's check).
 */
export function connectionFor(provider: ConnectionSettings): Connection {
  const proxy = proxyFor(provider.baseURL);
  const ca = provider.ca === undefined ? undefined : certificatesOf(provider.name, provider.ca);
  return { ...(proxy ? { proxy } : {}), ...(ca ? { ca } : {}) };
}

function certificatesOf(name: string, file: string): string[] {
  try {
    return readCertificates(path.resolve(file));
  } catch (error) {
    if (error instanceof CertificateFileError) throw new ConfigError([{ path: `ca (provider ${name})`, message: error.message }]);
    throw error;
  }
}
