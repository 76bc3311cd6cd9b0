import { RunpodApiError, RunpodAuthError, RunpodCapacityError } from './errors.ts';
import type { HttpTransport } from './http.ts';
import type { components, paths } from './openapi.d.ts';

/**
 * RunPod's REST API v2, typed from its published OpenAPI document (fixtures/runpod/openapi-v2.json →
 * openapi.d.ts, `npm run runpod:types`). Base URL as RUNPOD_API_URL in runpodctl: the host, paths start `/v2/`.
 */
export const RUNPOD_REST_URL = 'https://api.runpod.io';

export type RestPod = components['schemas']['Pod'];
export type CreatePodBody = paths['/v2/pods']['post']['requestBody']['content']['application/json'];
type CreatedPod = paths['/v2/pods']['post']['responses'][201]['content']['application/json'];
type ListedPods = paths['/v2/pods']['get']['responses'][200]['content']['application/json'];
type ReadPod = paths['/v2/pods/{id}']['get']['responses'][200]['content']['application/json'];
type ActionBody = paths['/v2/pods/{id}/action']['post']['requestBody']['content']['application/json'];
type Problem = components['schemas']['ErrorResponse'];

export class RunpodRest {
  constructor(
    private readonly http: HttpTransport,
    readonly baseUrl: string = RUNPOD_REST_URL,
  ) {}

  /**
   * `POST /v2/pods` → 201. The document's status table: 400 = rule broken *or* no capacity for this candidate
   * (try the next), 403 = no access to this pool (skip it), 402 = no balance, 422 = malformed (never retry).
   */
  async createPod(body: CreatePodBody): Promise<CreatedPod> {
    const step = 'create RunPod pod';
    const answer = await this.http.send(step, 'POST', this.url('/v2/pods'), body, { createsResource: true });
    if (answer.status === 201) return parse<CreatedPod>(step, answer.body);
    const problem = problemText(answer.body);
    if (answer.status === 400 || answer.status === 403) throw new RunpodCapacityError(step, [problem], answer.status);
    if (answer.status === 402) throw new RunpodApiError(step, `RunPod refused: insufficient balance (HTTP 402: ${problem})`, 'add credit at console.runpod.io → Billing');
    throw unexpected(step, answer.status, problem);
  }

  /** null when RunPod no longer knows the pod (404: terminated or never existed). */
  async getPod(podId: string): Promise<ReadPod | null> {
    const step = 'read RunPod pod';
    const answer = await this.http.send(step, 'GET', this.podUrl(podId), undefined);
    if (answer.status === 200) return parse<ReadPod>(step, answer.body);
    if (answer.status === 404) return null;
    throw unexpected(step, answer.status, problemText(answer.body));
  }

  async listPods(): Promise<ListedPods['pods']> {
    const step = 'list RunPod pods';
    const answer = await this.http.send(step, 'GET', this.url('/v2/pods'), undefined);
    if (answer.status !== 200) throw unexpected(step, answer.status, problemText(answer.body));
    const listed = parse<ListedPods>(step, answer.body);
    if (!Array.isArray(listed?.pods)) throw new RunpodApiError(step, `RunPod listed no "pods" array: ${answer.body.slice(0, 200)}`);
    return listed.pods;
  }

  /** `POST /v2/pods/{id}/action {"action":"stop"}`: stops billing for compute; a volume is billed until terminate. */
  async stopPod(podId: string): Promise<void> {
    const step = 'stop RunPod pod';
    const body: ActionBody = { action: 'stop' };
    const answer = await this.http.send(step, 'POST', `${this.podUrl(podId)}/action`, body);
    if (answer.status !== 200 && answer.status !== 204) throw unexpected(step, answer.status, problemText(answer.body));
  }

  /** `DELETE /v2/pods/{id}` → 204: the pod and its disks are deleted. 'gone' when RunPod answered 404. */
  async deletePod(podId: string): Promise<'deleted' | 'gone'> {
    const step = 'terminate RunPod pod';
    const answer = await this.http.send(step, 'DELETE', this.podUrl(podId), undefined);
    if (answer.status === 204 || answer.status === 200) return 'deleted';
    if (answer.status === 404) return 'gone';
    throw unexpected(step, answer.status, problemText(answer.body));
  }

  private url(path: string): string {
    return `${this.baseUrl.replace(/\/+$/, '')}${path}`;
  }

  private podUrl(podId: string): string {
    return this.url(`/v2/pods/${encodeURIComponent(podId)}`);
  }
}

function parse<T>(step: string, body: string): T {
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new RunpodApiError(step, `RunPod API answered with a non-JSON body: ${body.slice(0, 300)}`);
  }
}

/** RFC 9457 problem (`title`, `status`, `detail`, optional `errors`) as one line. */
function problemText(body: string): string {
  try {
    const p = JSON.parse(body) as Partial<Problem>;
    const parts = [p.detail ?? p.title ?? body.slice(0, 300), ...(p.errors ?? [])];
    return parts.join('; ');
  } catch {
    return body.slice(0, 300);
  }
}

function unexpected(step: string, status: number, problem: string): RunpodApiError {
  if (status === 403) return new RunpodAuthError(step, status);
  const hint = status === 422 ? 'the request does not match RunPod\'s OpenAPI document: a bug in the harness (or RunPod changed the API; see fixtures/runpod/README.md)' : undefined;
  return new RunpodApiError(step, `RunPod API answered HTTP ${status}: ${problem}`, hint);
}
