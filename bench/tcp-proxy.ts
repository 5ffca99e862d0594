/**
 * A byte-counting TCP proxy for the benchmark: the driver connects to it, it connects to the real
 * server, and every byte that crosses it either way is counted. This measures what travels over
 * the wire (protocol framing, row descriptions, startup and authentication included), not an
 * estimate from row sizes.
 */
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

export interface ByteCounts {
  /** Client → server (queries, parameters). */
  toServer: number;
  /** Server → client (rows, results). */
  toClient: number;
}

export interface ByteCountingProxy {
  port: number;
  counts(): ByteCounts;
  reset(): void;
  close(): Promise<void>;
}

export async function startByteCountingProxy(target: { host: string; port: number }): Promise<ByteCountingProxy> {
  let toServer = 0;
  let toClient = 0;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    track(client);
    track(upstream);
    client.on('data', (chunk: Buffer) => {
      toServer += chunk.length;
    });
    upstream.on('data', (chunk: Buffer) => {
      toClient += chunk.length;
    });
    client.pipe(upstream);
    upstream.pipe(client);
    // Either side failing or closing ends the pair: the driver then sees a closed connection.
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    counts: () => ({ toServer, toClient }),
    reset() {
      toServer = 0;
      toClient = 0;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
