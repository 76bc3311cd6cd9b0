import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ensureLlamaCppBuild } from './build.ts';

/**
 * llama-server (with the multimodal library it links) takes about 1.5–3 minutes on 2 cores, so this test
 * builds into the shared default cache, where `npm run build:engine` and the benchmark find it afterwards:
 * only the first run on a machine pays.
 */
describe('llama-server build', () => {
  it('produces a llama-server that runs and names the source commit', async () => {
    const build = await ensureLlamaCppBuild({ tools: ['llama-server'] });
    const server = build.tools['llama-server'];
    expect(server).toBeDefined();
    const version = spawnSync(server!, ['--version'], { encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(`${version.stdout}${version.stderr}`).toContain(`commit ${build.commit.slice(0, 7)})`);
    const help = spawnSync(server!, ['--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--port');
  }, 900_000);
});
