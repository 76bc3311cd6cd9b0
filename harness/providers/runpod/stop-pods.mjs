// Terminates (or stops) RunPod pods and exits. Run with spawnSync from a signal handler, where the
// parent's event loop is blocked and cannot do the request itself. Plain JavaScript so bare `node` runs
// it without a TypeScript loader. The API key comes from the environment (RUNPOD_API_KEY), never argv,
// because argv is visible to every user in `ps`.
//
//   RUNPOD_API_KEY=… RUNPOD_API_URL=… RUNPOD_STOP_ACTION=terminate|stop node stop-pods.mjs <podId>…
// Prints one line per pod: `ok <podId>` or `fail <podId> <reason>`; exit code 0 only if all succeeded.

const apiKey = process.env.RUNPOD_API_KEY;
const url = process.env.RUNPOD_API_URL || 'https://api.runpod.io/graphql';
const action = process.env.RUNPOD_STOP_ACTION === 'stop' ? 'stop' : 'terminate';
const podIds = process.argv.slice(2);

if (!apiKey) {
  console.error('stop-pods: RUNPOD_API_KEY is not set');
  process.exit(2);
}

function mutation(podId) {
  const input = `{ podId: ${JSON.stringify(podId)} }`;
  return action === 'stop' ? `mutation { podStop(input: ${input}) { id desiredStatus } }` : `mutation { podTerminate(input: ${input}) }`;
}

async function stopOne(podId) {
  let last = 'no attempt';
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ query: mutation(podId) }),
        signal: AbortSignal.timeout(8000),
      });
      const body = await response.json().catch(() => ({}));
      if (response.ok && !body.errors?.length) return null;
      last = `HTTP ${response.status}${body.errors ? ` ${body.errors.map((e) => e.message).join('; ')}` : ''}`;
      if (response.status === 401 || response.status === 403) break;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
  }
  return last.split(apiKey).join('[REDACTED]');
}

let failures = 0;
for (const podId of podIds) {
  const failure = await stopOne(podId);
  if (failure === null) console.log(`ok ${podId}`);
  else {
    failures++;
    console.log(`fail ${podId} ${failure}`);
  }
}
process.exit(failures === 0 ? 0 : 1);
