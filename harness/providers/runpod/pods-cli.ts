import { parseArgs } from 'node:util';
import { consoleLogger, type Logger } from '../../log.ts';
import { HarnessError } from '../../errors.ts';
import { RunpodClient } from './client.ts';
import { restApiUrl } from './config.ts';
import { HttpTransport } from './http.ts';
import { RUNPOD_REST_URL, RunpodRest } from './rest.ts';
import { PodGuard, defaultStateFile } from './guard.ts';
import { isHarnessPodName, parsePodName } from './naming.ts';
import { reapOrphans } from './reaper.ts';
import { describeError, redact, registerSecret } from './redact.ts';

const USAGE = `usage: npm run runpod:pods -- [--reap] [--terminate <podId>]… [--all] [--json]
  Lists this harness's RunPod pods (names starting bitnet-bench-) and the local state file.
  --reap        terminate orphans: pods past their time budget, pods whose run on this machine died
  --terminate   terminate the given pod id (repeatable)
  --all         list every pod on the account, not only this harness's
  --json        machine-readable output
  env: RUNPOD_API_KEY (required), RUNPOD_API_URL (REST base, default ${RUNPOD_REST_URL}), BENCH_CACHE_DIR`;

/** Exit code: 0 when no harness pod is left running after the command, 3 when some are, 1/2 on errors. */
export async function runPodsCli(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void, logger: Logger): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: { reap: { type: 'boolean' }, terminate: { type: 'string', multiple: true }, all: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
    }).values;
  } catch (error) {
    out(`${describeError(error)}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    out(USAGE);
    return 0;
  }
  if (!env.RUNPOD_API_KEY) {
    out(`RUNPOD_API_KEY is not set.\n${USAGE}`);
    return 2;
  }
  registerSecret(env.RUNPOD_API_KEY);
  const url = restApiUrl.safeParse(env.RUNPOD_API_URL || RUNPOD_REST_URL);
  if (!url.success) {
    out(`${url.error.issues.map((i) => i.message).join('; ')}\n${USAGE}`);
    return 2;
  }
  // Read-only REST calls (list, and DELETE only for --reap/--terminate): no GraphQL here.
  const client = new RunpodClient(new RunpodRest(new HttpTransport({ apiKey: env.RUNPOD_API_KEY, logger }), url.data));
  const guard = new PodGuard(defaultStateFile(env));
  try {
    for (const podId of args.terminate ?? []) {
      await client.terminatePod(podId);
      guard.forget(podId);
      out(`terminated ${podId}`);
    }
    if (args.reap) {
      const result = await reapOrphans({ client, guard, logger });
      out(`reaper: terminated ${result.terminated.length}, failed ${result.failed.length}, kept ${result.kept.length} live`);
    }
    const pods = (await client.listPods()).filter((p) => args.all || isHarnessPodName(p.name));
    const rows = pods.map((p) => {
      const parts = parsePodName(p.name);
      return {
        id: p.id,
        name: p.name,
        status: p.status,
        costPerHr: p.costPerHr,
        uptimeSeconds: p.uptimeSeconds,
        budgetEndsAt: parts ? new Date(parts.createdAtMs + parts.budgetSeconds * 1000).toISOString() : null,
        ssh: p.sshDirect ? `${p.sshDirect.host}:${p.sshDirect.port}` : null,
      };
    });
    const recorded = guard.list();
    if (args.json) out(JSON.stringify({ pods: rows, stateFile: guard.stateFile, recorded }, null, 2));
    else {
      if (rows.length === 0) out(args.all ? 'no pods on this account' : 'no bitnet-bench pods on this account');
      for (const r of rows) {
        out(`${r.id}  ${r.status ?? '?'}  $${r.costPerHr ?? '?'}/hr  up ${r.uptimeSeconds ?? '-'} s  ${r.name}${r.budgetEndsAt ? `  budget ends ${r.budgetEndsAt}` : ''}`);
      }
      out(`state file ${guard.stateFile}: ${recorded.length} pod(s) recorded${recorded.length ? ` (${recorded.map((r) => r.podId).join(', ')})` : ''}`);
    }
    // Billed until stopped: RUNNING, and the states on the way there.
    const running = pods.filter((p) => isHarnessPodName(p.name) && ['RUNNING', 'PROVISIONING', 'STARTING'].includes(p.status));
    return running.length > 0 ? 3 : 0;
  } catch (error) {
    out(redact(error instanceof HarnessError ? error.describe() : describeError(error)));
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const code = await runPodsCli(process.argv.slice(2), process.env, (line) => console.log(line), consoleLogger('[runpod]'));
  process.exit(code);
}
