// A throwaway certificate authority made by `openssl`, as an operator would make one: a CA, a
// server certificate for the frontend (DNS:localhost, IP:127.0.0.1) and client certificates, each
// signed by the CA. Node built-ins and openssl only.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

function openssl(args, cwd) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Key and certificate signed by the CA in dir; `san` makes it a server certificate. */
function signed(dir, name, { cn, san }) {
  openssl(
    [
      'req',
      '-new',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${cn}`,
    ],
    dir,
  );
  const ext = san ? `subjectAltName=${san}\nextendedKeyUsage=serverAuth,clientAuth\n` : 'extendedKeyUsage=clientAuth\n';
  const extFile = `${name}.ext`;
  execFileSync('sh', ['-c', `printf '%s' "$EXT" > ${extFile}`], { cwd: dir, env: { ...process.env, EXT: ext } });
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-sha256',
      '-extfile',
      extFile,
      '-out',
      `${name}.pem`,
    ],
    dir,
  );
  return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
}

/**
 * Writes ca.pem, server.{pem,key} and one {pem,key} pair per client name into dir.
 * Returns their paths: { ca, server: { cert, key }, clients: { [name]: { cert, key } } }.
 */
export function makeCertificates(dir, { clients = ['client'] } = {}) {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=scaleflow test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  // The frontend and the server's own internode traffic share it; clients check DNS:localhost.
  const server = signed(dir, 'server', { cn: 'localhost', san: 'DNS:localhost,IP:127.0.0.1' });
  const issued = {};
  for (const name of clients) issued[name] = signed(dir, name, { cn: name });
  return { ca: join(dir, 'ca.pem'), server, clients: issued };
}
