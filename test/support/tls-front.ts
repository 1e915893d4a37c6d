import { readFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { root } from './cli.js';

/** The self-signed test certificate (fixtures/tls/README.md) and the file that trusts it. */
export const TEST_CA_FILE = `${root}fixtures/tls/server-cert.pem`;
export const OTHER_CA_FILE = `${root}fixtures/tls/other-cert.pem`;

export interface TlsFront {
  readonly port: number;
  /** TLS handshakes that completed. */
  readonly handshakes: number;
  close(): Promise<void>;
}

/**
 * An HTTPS face for a plain-http server on 127.0.0.1 (the mock provider): TLS with the test
 * certificate, each connection relayed byte for byte to `targetPort`.
 */
export async function startTlsFront(targetPort: number): Promise<TlsFront> {
  const sockets = new Set<net.Socket>();
  let handshakes = 0;
  const server = tls.createServer(
    { key: readFileSync(`${root}fixtures/tls/server-key.pem`), cert: readFileSync(TEST_CA_FILE) },
    (secure) => {
      handshakes++;
      const plain = net.connect(targetPort, '127.0.0.1');
      sockets.add(plain);
      secure.pipe(plain).pipe(secure);
      plain.on('error', () => secure.destroy());
      secure.on('error', () => plain.destroy());
    },
  );
  server.on('connection', (socket: net.Socket) => sockets.add(socket));
  // A client that rejects the certificate aborts the handshake: not the test's failure.
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get handshakes() {
      return handshakes;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
