// TLS for client connections (tls-port) and for the link to our master (tls-replication),
// configured with Redis's directives: tls-cert-file, tls-key-file, tls-ca-cert-file, tls-auth-clients.
// Like Redis, peers are verified against the CA but host names are not checked.

import { readFileSync } from 'node:fs';
import type { SecureContextOptions } from 'node:tls';
import type { ConfigStore } from './config';

export class TlsConfigError extends Error {}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new TlsConfigError(`Failed to load ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Certificate, key and CA from the config; throws TlsConfigError with Redis's wording when missing. */
export function tlsMaterial(config: ConfigStore): SecureContextOptions {
  const certFile = config.get('tls-cert-file');
  const keyFile = config.get('tls-key-file');
  if (certFile === '') throw new TlsConfigError('No tls-cert-file configured!');
  if (keyFile === '') throw new TlsConfigError('No tls-key-file configured!');
  const caFile = config.get('tls-ca-cert-file');
  return {
    cert: readPem(certFile, 'certificate'),
    key: readPem(keyFile, 'private key'),
    ca: caFile !== '' ? readPem(caFile, 'CA certificate') : undefined,
  };
}

/** Server options for tls-port: client certificates required, optional or ignored per tls-auth-clients. */
export function tlsServerOptions(config: ConfigStore) {
  const authClients = config.get('tls-auth-clients');
  return {
    ...tlsMaterial(config),
    requestCert: authClients !== 'no',
    rejectUnauthorized: authClients === 'yes',
  };
}

/** Client options for the replication link with tls-replication yes. */
export function tlsClientOptions(config: ConfigStore) {
  return {
    ...tlsMaterial(config),
    rejectUnauthorized: config.get('tls-ca-cert-file') !== '',
    checkServerIdentity: () => undefined,
  };
}
