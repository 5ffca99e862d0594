/**
 * A TCP server speaking just the start of PostgreSQL's wire protocol: it records the startup
 * parameters a client sends, asks for a cleartext password, records it, and refuses it with
 * SQLSTATE 28P01. Its error message repeats the password, as a careless proxy might: whatever
 * prints that message must not print the password.
 *
 * It shows what the CLI's own connection asks of the server (its session settings) and exercises
 * the bad-password path without touching the real server's roles.
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

const SSL_REQUEST_CODE = 80877103;
const PROTOCOL_3 = 196608;

export interface PasswordServer {
  port: number;
  /** Startup parameters of each connection, in arrival order. */
  startups: Record<string, string>[];
  passwords: string[];
  close(): Promise<void>;
}

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function cstrings(fields: readonly string[]): Buffer {
  return Buffer.concat(fields.map((f) => Buffer.from(`${f}\0`, 'utf8')));
}

function errorResponse(code: string, text: string): Buffer {
  const fields = [['S', 'FATAL'], ['V', 'FATAL'], ['C', code], ['M', text]].map(([k, v]) => `${k}${v}`);
  return message('E', Buffer.concat([cstrings(fields), Buffer.from('\0')]));
}

export async function startPasswordServer(): Promise<PasswordServer> {
  const startups: Record<string, string>[] = [];
  const passwords: string[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    let user = '';
    let started = false;
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (!started) {
          if (buffered.length < 8) return;
          const length = buffered.readInt32BE(0);
          if (buffered.length < length) return;
          const code = buffered.readInt32BE(4);
          const body = buffered.subarray(8, length);
          buffered = buffered.subarray(length);
          if (code === SSL_REQUEST_CODE) {
            socket.write('N');
            continue;
          }
          if (code !== PROTOCOL_3) {
            socket.destroy();
            return;
          }
          const parts = body.toString('utf8').split('\0');
          const params: Record<string, string> = {};
          for (let i = 0; i + 1 < parts.length && parts[i] !== ''; i += 2) params[parts[i]!] = parts[i + 1]!;
          startups.push(params);
          user = params['user'] ?? '';
          started = true;
          socket.write(message('R', Buffer.from([0, 0, 0, 3]))); // AuthenticationCleartextPassword
          continue;
        }
        if (buffered.length < 5) return;
        const length = buffered.readInt32BE(1);
        if (buffered.length < length + 1) return;
        const type = String.fromCharCode(buffered[0]!);
        const body = buffered.subarray(5, length + 1);
        buffered = buffered.subarray(length + 1);
        if (type === 'p') {
          const password = body.toString('utf8').replace(/\0$/, '');
          passwords.push(password);
          socket.end(errorResponse('28P01', `password authentication failed for user "${user}" (password "${password}")`));
          return;
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    startups,
    passwords,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
