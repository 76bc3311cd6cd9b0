import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchModel, modelUrl } from '../../harness/engine/bitnet-cpp/download.ts';
import { HarnessError } from '../../harness/errors.ts';
import type { Logger } from '../../harness/log.ts';
import { LocalTarget } from '../../harness/targets/local.ts';
import { connectSshTarget } from '../../harness/targets/ssh.ts';
import type { Target } from '../../harness/targets/target.ts';
import { startSshd } from '../support/sshd.ts';

/**
 * The model download against loopback stand-ins of Hugging Face: an origin on 127.0.0.1 that redirects file
 * requests to a "CDN" on 127.0.0.2, as huggingface.co does, both honouring Range. The downloader is the real one
 * (python3 on the target, here this machine); only the bytes are small.
 */
const REPO = 'microsoft/BitNet-b1.58-2B-4T-gguf';
const FILE = 'ggml-model-i2_s.gguf';
const model = randomBytes(3 * 2 ** 20 + 12_345);
const sha256 = createHash('sha256').update(model).digest('hex');

type Behaviour = { cutFirstAt?: number; serve?: Buffer; missing?: boolean };
interface Seen { host: string; url: string; range?: string; authorization?: string }

let origin: Server;
let cdn: Server;
let endpoint: string;
let behaviour: Behaviour = {};
let seen: Seen[] = [];
let cdnRequests = 0;

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
}

function serveFile(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const start = Number(req.headers.range?.match(/^bytes=(\d+)-$/)?.[1] ?? 0);
  if (start >= body.length) return void res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
  const part = body.subarray(start);
  res.writeHead(start ? 206 : 200, { 'Content-Length': part.length, 'Accept-Ranges': 'bytes', ...(start ? { 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}) });
  const cut = cdnRequests++ === 0 ? behaviour.cutFirstAt : undefined;
  if (cut === undefined) return void res.end(part);
  // Headers promise the whole file; the connection then drops part-way, as a flaky network does.
  res.write(part.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 50));
}

beforeAll(async () => {
  cdn = createServer((req, res) => {
    seen.push({ host: 'cdn', url: req.url ?? '', range: req.headers.range, authorization: req.headers.authorization });
    serveFile(req, res, behaviour.serve ?? model);
  });
  const cdnPort = await listen(cdn, '127.0.0.2');
  origin = createServer((req, res) => {
    seen.push({ host: 'origin', url: req.url ?? '', range: req.headers.range, authorization: req.headers.authorization });
    if (behaviour.missing || req.url !== `/${REPO}/resolve/main/${FILE}`) return void res.writeHead(404).end('Entry not found');
    res.writeHead(302, { Location: `http://127.0.0.2:${cdnPort}/xet/signed-${FILE}?sig=abc` }).end();
  });
  endpoint = `http://127.0.0.1:${await listen(origin, '127.0.0.1')}`;
});

afterAll(() => {
  origin?.close();
  cdn?.close();
});

function setup(b: Behaviour = {}, target?: Target) {
  behaviour = b;
  seen = [];
  cdnRequests = 0;
  const work = mkdtempSync(join(tmpdir(), 'bitnet-download-'));
  const dest = join(work, 'models', FILE);
  const lines: string[] = [];
  const log: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(m), debug: () => {} };
  const env = { HF_ENDPOINT: endpoint, HF_TOKEN: 'hf_test_token' };
  const fetch = (overrides: { sha256?: string } = {}) => fetchModel(target ?? new LocalTarget(work), { url: modelUrl(REPO, FILE, env), dest, bytes: model.length, sha256: overrides.sha256 ?? sha256, log, env, progressSeconds: 0 });
  return { dest, lines, fetch };
}

describe('model download (loopback stand-in of Hugging Face)', () => {
  it('builds the repository file URL, honouring HF_ENDPOINT', () => {
    expect(modelUrl(REPO, FILE, {})).toBe('https://huggingface.co/microsoft/BitNet-b1.58-2B-4T-gguf/resolve/main/ggml-model-i2_s.gguf');
    expect(modelUrl(REPO, FILE, { HF_ENDPOINT: 'https://hf-mirror.example/' })).toBe(`https://hf-mirror.example/${REPO}/resolve/main/${FILE}`);
  });

  it('downloads, verifies, prints progress, sends the token only to the repository host; a rerun is skipped', async () => {
    const { dest, lines, fetch } = setup();
    await expect(fetch()).resolves.toBeUndefined();
    expect(readFileSync(dest).equals(model)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect(lines.some((l) => /model download: \d+ of 3 MiB \(\d+ %\)/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(new RegExp(`sha256 ${sha256}: verified`));
    expect(seen.map((s) => [s.host, s.authorization])).toEqual([['origin', 'Bearer hf_test_token'], ['cdn', undefined]]);

    seen = [];
    await expect(fetch()).resolves.toBe('skipped');
    expect(seen).toEqual([]);
  });

  it('resumes an interrupted transfer with a Range request', async () => {
    const { dest, lines, fetch } = setup({ cutFirstAt: 2 ** 20 });
    await fetch();
    expect(readFileSync(dest).equals(model)).toBe(true);
    const ranges = seen.filter((s) => s.host === 'cdn').map((s) => s.range);
    expect(ranges[0]).toBeUndefined();
    expect(ranges[1]).toMatch(/^bytes=\d+-$/);
    expect(Number(ranges[1]!.slice(6, -1))).toBeGreaterThanOrEqual(2 ** 20 - 65_536);
    expect(lines.some((l) => /transfer interrupted/.test(l))).toBe(true);
  });

  it('resumes the .part file a killed run left behind', async () => {
    const { dest, fetch } = setup();
    mkdirSync(join(dest, '..'), { recursive: true });
    writeFileSync(`${dest}.part`, model.subarray(0, 1_000_000));
    await fetch();
    expect(readFileSync(dest).equals(model)).toBe(true);
    expect(seen.filter((s) => s.host === 'cdn').map((s) => s.range)).toEqual(['bytes=1000000-']);
  });

  it('fetches a corrupt file again instead of using it', async () => {
    const { dest, lines, fetch } = setup();
    mkdirSync(join(dest, '..'), { recursive: true });
    const corrupt = Buffer.from(model);
    corrupt.writeUInt8(corrupt.readUInt8(12_345) ^ 0xff, 12_345);
    writeFileSync(dest, corrupt);
    await expect(fetch()).resolves.toBeUndefined();
    expect(readFileSync(dest).equals(model)).toBe(true);
    expect(lines.some((l) => /is not the expected file .*fetching it again/.test(l))).toBe(true);
  });

  it('keeps nothing when the server keeps sending bytes with the wrong checksum', async () => {
    const wrong = Buffer.from(model);
    wrong.writeUInt8(wrong.readUInt8(0) ^ 0xff, 0);
    const { dest, fetch } = setup({ serve: wrong });
    const error = (await fetch().catch((e: unknown) => e)) as HarnessError;
    expect(error).toBeInstanceOf(HarnessError);
    expect(error.message).toMatch(/never matched the expected size and SHA-256/);
    expect(error.hint).toMatch(/engine\.modelSha256/);
    expect(seen.filter((s) => s.host === 'cdn')).toHaveLength(2);
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('runs on the target over SSH (a real sshd on loopback): the script goes over SFTP, the token in the command\'s environment', async () => {
    const sshd = await startSshd();
    const work = mkdtempSync(join(tmpdir(), 'bitnet-download-ssh-'));
    const target = await connectSshTarget({ ...sshd, hostKey: { fingerprint: sshd.hostKeyFingerprint }, workDir: work });
    try {
      const { dest, lines, fetch } = setup({}, target);
      await expect(fetch()).resolves.toBeUndefined();
      expect(readFileSync(dest).equals(model)).toBe(true);
      expect(existsSync(join(work, 'bin/fetch_model.py'))).toBe(true);
      expect(seen.map((s) => [s.host, s.authorization])).toEqual([['origin', 'Bearer hf_test_token'], ['cdn', undefined]]);
      expect(lines.join('\n')).not.toContain('hf_test_token');
    } finally {
      await target.close();
      await sshd.stop();
    }
  }, 60_000);

  it('says which URL answered 404', async () => {
    const { fetch } = setup({ missing: true });
    const error = (await fetch().catch((e: unknown) => e)) as HarnessError;
    expect(error).toBeInstanceOf(HarnessError);
    expect(error.kind).toBe('config');
    expect(error.message).toBe(`HTTP 404 Not Found for ${endpoint}/${REPO}/resolve/main/${FILE} (check engine.modelRepo / engine.modelFile, and HF_ENDPOINT if set)`);
  });
});
