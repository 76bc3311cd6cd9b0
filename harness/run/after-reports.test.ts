import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { record } from '../../test/support/run-fixtures.ts';
import { silentLogger } from '../log.ts';
import { junitFile } from '../reports/junit.ts';
import { afterReports } from './after-reports.ts';

describe('JUnit of two runs at once', () => {
  it('each Vitest process has a JUnit file of its own, so two runs never write (or copy) the same one', () => {
    const env = { BENCH_REPORTS_DIR: '/r' };
    expect(junitFile(env, 101)).not.toBe(junitFile(env, 102));
  });

  it('the teardown copies this run\'s JUnit into its folder and publishes reports/junit.xml whole', () => {
    const reports = mkdtempSync(join(tmpdir(), 'bench-junit-'));
    const env = { BENCH_REPORTS_DIR: reports };
    const mine = junitFile(env);
    mkdirSync(join(reports, '.junit'), { recursive: true });
    writeFileSync(mine, '<testsuites name="mine"/>');
    const run = record('r1', [], { reportDir: join(reports, 'r1') });
    run.startedAt = new Date(Date.now() - 60_000).toISOString();
    mkdirSync(run.reportDir);
    const written = afterReports(run, env, silentLogger);
    expect(written).toEqual([join(run.reportDir, 'junit.xml')]);
    expect(readFileSync(join(run.reportDir, 'junit.xml'), 'utf8')).toBe('<testsuites name="mine"/>');
    expect(readFileSync(join(reports, 'junit.xml'), 'utf8')).toBe('<testsuites name="mine"/>');
    expect(existsSync(mine)).toBe(false);
  });
});
