// Terminates (or stops) RunPod pods through the REST API v2 and exits. Run with spawnSync from a signal handler, where the
// parent's event loop is blocked and cannot do the request itself. Plain JavaScript so bare `node` runs
// it without a TypeScript loader. The API key comes from the environment (RUNPOD_API_KEY), never argv,
// because argv is visible to every user in `ps`.
//
//   RUNPOD_API_KEY=… RUNPOD_API_URL=<REST base> RUNPOD_STOP_ACTION=terminate|stop node stop-pods.mjs <podId>…
// terminate = DELETE /v2/pods/{id} (204; 404 = already gone), stop = POST /v2/pods/{id}/action {"action":"stop"}.
// Prints one line per pod: `ok <podId>` or `fail <podId> <reason>`; exit code 0 only if all succeeded.

const apiKey = process.env.RUNPOD_API_KEY;
const base = (process.env.RUNPOD_API_URL || 'https://api.runpod.io').replace(/\/+$/, '');
const action = process.env.RUNPOD_STOP_ACTION === 'stop' ? 'stop' : 'terminate';
const podIds = process.argv.slice(2);

if (!apiKey) {
  console.error('stop-pods: RUNPOD_API_KEY is not set');
  process.exit(2);
}

function request(podId) {
  const pod = `${base}/v2/pods/${encodeURIComponent(podId)}`;
  return action === 'stop'
    ? { url: `${pod}/action`, method: 'POST', body: JSON.stringify({ action: 'stop' }), done: [200, 204] }
    : { url: pod, method: 'DELETE', body: undefined, done: [204, 200, 404] };
}

async function stopOne(podId) {
  let last = 'no attempt';
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const { url, method, body, done } = request(podId);
      const response = await fetch(url, {
        method,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), authorization: `Bearer ${apiKey}` },
        body,
        signal: AbortSignal.timeout(8000),
      });
      const text = await response.text().catch(() => '');
      if (done.includes(response.status)) return null;
      last = `HTTP ${response.status} ${text.slice(0, 200)}`;
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
