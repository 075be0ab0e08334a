// A throwaway certificate authority for TLS tests, made with openssl in a temp dir.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCerts {
  dir: string;
  ca: string;
  cert: string;
  key: string;
}

export function makeTestCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'rctl-tls-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('genrsa', '-out', 'ca.key', '2048');
  run('req', '-x509', '-new', '-nodes', '-sha256', '-key', 'ca.key', '-days', '2', '-subj', '/O=rctl test/CN=rctl test CA', '-out', 'ca.crt');
  run('genrsa', '-out', 'node.key', '2048');
  run('req', '-new', '-sha256', '-key', 'node.key', '-subj', '/O=rctl test/CN=127.0.0.1', '-out', 'node.csr');
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n');
  run('x509', '-req', '-sha256', '-in', 'node.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'ext.cnf', '-out', 'node.crt');
  return { dir, ca: join(dir, 'ca.crt'), cert: join(dir, 'node.crt'), key: join(dir, 'node.key') };
}
