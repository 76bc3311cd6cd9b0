import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../harness/log.ts';
import { root } from './support/cli.ts';
import { checkIgnoredConfig } from '../suites/setup/ignored-config.ts';

describe('the demo and a ./bench.config.json it does not use', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'bench-ignored-'));

  it('an invalid one is refused, naming the field, instead of being silently ignored', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'bench.config.json'), JSON.stringify({ generation: { threads: 'four' } }));
    expect(() => checkIgnoredConfig('bench.config.json', 'fixtures/configs/demo.json', { cwd, log: silentLogger })).toThrow(/\.\/bench\.config\.json is invalid[\s\S]*generation\.threads/);
    writeFileSync(join(cwd, 'bench.config.json'), '{ "generation": ');
    expect(() => checkIgnoredConfig('bench.config.json', 'fixtures/configs/demo.json', { cwd, log: silentLogger })).toThrow(/is not valid JSON/);
  });

  it('a valid one is named as not used; none at all says nothing', () => {
    const cwd = dir();
    const said: string[] = [];
    const log = { ...silentLogger, info: (m: string) => said.push(m) };
    checkIgnoredConfig('bench.config.json', 'fixtures/configs/demo.json', { cwd, log });
    expect(said).toEqual([]);
    writeFileSync(join(cwd, 'bench.config.json'), JSON.stringify({ generation: { threads: 2 }, prompts: join(root, 'fixtures/prompts/demo.json') }));
    checkIgnoredConfig('bench.config.json', 'fixtures/configs/demo.json', { cwd, log });
    expect(said).toEqual([expect.stringMatching(/\.\/bench\.config\.json is valid but not used: this project runs fixtures\/configs\/demo\.json/)]);
  });
});
