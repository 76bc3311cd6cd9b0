import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { choosePort, startServer } from '../../harness/engine/server/server-process.ts';
import { silentLogger } from '../../harness/log.ts';
import { LocalTarget } from '../../harness/targets/local.ts';

/**
 * `--port 0` never reaches the engine: bitnet.cpp's 2024 fork binds some port but logs port 0, so the harness
 * chooses the port itself. (The real fork in server mode: test/engine/bitnet-fork.test.ts.)
 */
const scratch = mkdtempSync(join(tmpdir(), 'bench-port-'));
const target = new LocalTarget(scratch);

describe('llama-server port choice', () => {
  it('chooses a port nobody listens on, on 127.0.0.1', async () => {
    const port = await choosePort(target);
    expect(port).toBeGreaterThan(0);
    const probe = createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => probe.close(resolve));
  });

  it('passes a chosen port instead of 0, and chooses again when the port was taken before the server bound it', async () => {
    // A stand-in server that fails the way llama-server does on a taken port the first time, then listens.
    const calls = join(scratch, 'calls.txt');
    const fake = join(scratch, 'llama-server');
    writeFileSync(
      fake,
      `#!${process.execPath}
const fs = require('node:fs');
const port = process.argv[process.argv.indexOf('--port') + 1];
fs.appendFileSync(${JSON.stringify(calls)}, port + '\\n');
if (fs.readFileSync(${JSON.stringify(calls)}, 'utf8').trim().split('\\n').length === 1) {
  console.error('main: couldn\\'t bind HTTP server socket, hostname: 127.0.0.1, port: ' + port);
  process.exit(1);
}
console.error('main: server is listening on 127.0.0.1:' + port + ' - starting the main loop');
setInterval(() => {}, 1000);
`,
    );
    chmodSync(fake, 0o755);
    const server = await startServer(target, [fake, '-m', 'model.gguf', '--host', '127.0.0.1', '--port', '0'], { log: silentLogger, readyTimeoutMs: 20_000 });
    try {
      const ports = readFileSync(calls, 'utf8').trim().split('\n').map(Number);
      expect(ports).toHaveLength(2);
      expect(ports.every((p) => p > 0)).toBe(true);
      expect(server.port).toBe(ports[1]);
      expect(server.argv).toContain(String(ports[1]));
      expect(server.argv).not.toContain('0');
    } finally {
      await server.stop();
    }
  });
});
