import { createServer, connect, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a real server that can reset its connections mid-stream (TCP RST, which the
 * client sees as ECONNRESET), as a flaky network, a NAT timeout or a pod that restarts would.
 */
export interface ResetProxy {
  port: number;
  /** Bytes the clients sent through so far (all connections). */
  bytesUp(): number;
  /** Bytes the server sent back so far (all connections). */
  bytesDown(): number;
  /** Resets every open connection, both sides. */
  resetAll(): void;
  close(): Promise<void>;
}

export async function startResetProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<ResetProxy> {
  const open = new Set<Socket>();
  let up = 0;
  let down = 0;
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined); // a reset is this proxy's purpose, not a failure of the test
  };
  const server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    track(client);
    track(upstream);
    client.on('data', (chunk: Buffer) => ((up += chunk.length), upstream.write(chunk)));
    upstream.on('data', (chunk: Buffer) => ((down += chunk.length), client.write(chunk)));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const resetAll = () => {
    for (const socket of open) socket.resetAndDestroy();
  };
  return {
    port: (server.address() as { port: number }).port,
    bytesUp: () => up,
    bytesDown: () => down,
    resetAll,
    async close() {
      resetAll();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
