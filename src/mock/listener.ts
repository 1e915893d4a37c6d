import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Long enough for the event loop to poll at least once (see `stopListening`). */
const CLIENT_NOTICE_MS = 10;

/**
 * Owns the listening socket of an HTTP server so the `refuse` fault can be played for real:
 * while refusing, nothing listens on the port (the client gets ECONNREFUSED at once, not a
 * hang); afterwards the same port is listened on again. Also tracks every open connection,
 * so closing never waits on a hung or kept-alive one.
 */
export class PortListener {
  private readonly sockets = new Set<Socket>();
  private listening = false;
  private closed = false;
  /** State changes run one after another, so a quick refuse-accept-close sequence cannot interleave. */
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly server: Server,
    private readonly host: string,
    /** The port, fixed at the first listen (the OS picks it when 0 was asked for). */
    readonly port: number,
  ) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.listening = true;
  }

  /** Listens on host:port (port 0: one the OS picks) and resolves once it accepts connections. */
  static async open(server: Server, host: string, port: number): Promise<PortListener> {
    await listen(server, host, port);
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error(`could not read the port ${host} listens on`);
    return new PortListener(server, host, address.port);
  }

  /** Stops or resumes accepting connections; resolves when the port is in that state. */
  setRefusing(refusing: boolean): Promise<void> {
    return this.enqueue(async () => {
      if (this.closed || refusing !== this.listening) return;
      if (refusing) {
        await this.stopListening();
      } else {
        await listen(this.server, this.host, this.port);
        this.listening = true;
      }
    });
  }

  /** Stops listening for good and destroys every open connection (hung ones included). */
  close(): Promise<void> {
    return this.enqueue(async () => {
      if (this.closed) return;
      this.closed = true;
      if (this.listening) await this.stopListening();
    });
  }

  private async stopListening(): Promise<void> {
    this.listening = false;
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // A kept-alive connection would let the client carry on as if the port were open: cut them all.
    const cut = this.sockets.size > 0;
    for (const socket of this.sockets) socket.destroy();
    await stopped;
    // A client in this same process sees those connections end only when its event loop next
    // polls; until then it would reuse one and get "other side closed" instead of ECONNREFUSED.
    if (cut) await sleep(CLIENT_NOTICE_MS);
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.chain.then(step);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** A host as it goes in a URL (IPv6 addresses in brackets). */
export function hostForURL(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
