import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { connectGuarded } from './guarded-socket';
import { AddressRefusedError, OutboundAddressPolicy } from './ssrf-guard';

describe('connectGuarded against a TCP server on loopback', () => {
  let server: Server;
  let port: number;
  let accepted = 0;
  beforeAll(async () => {
    server = createServer((socket) => {
      accepted += 1;
      socket.end('220 ready\r\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('refuses a loopback host without an allow-list and never connects', async () => {
    const strict = new OutboundAddressPolicy();
    await expect(connectGuarded(strict, 'localhost', port)).rejects.toBeInstanceOf(AddressRefusedError);
    await expect(connectGuarded(strict, '127.0.0.1', port)).rejects.toBeInstanceOf(AddressRefusedError);
    expect(accepted).toBe(0);
  });

  it('connects to the checked address when the operator allowed the host', async () => {
    const socket = await connectGuarded(new OutboundAddressPolicy([`localhost:${port}`]), 'localhost', port);
    const remote = socket.remoteAddress;
    const greeting = await new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())));
    socket.destroy();
    expect(greeting).toBe('220 ready\r\n');
    expect(remote).toBe('127.0.0.1');
  });
});
