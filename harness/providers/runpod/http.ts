import type { Logger } from '../../log.ts';
import { silentLogger } from '../../log.ts';
import { RunpodApiError, RunpodAuthError } from './errors.ts';
import { describeError, registerSecret } from './redact.ts';

export interface HttpTransportOptions {
  apiKey: string;
  logger?: Logger;
  /** Retries after 429/5xx/network failure, on top of the first try. */
  maxRetries?: number;
  /** Backoff base when the server sends no Retry-After. */
  baseDelayMs?: number;
  /** Cap on any single wait, Retry-After included, so a hostile header cannot stall a run for hours. */
  maxDelayMs?: number;
  requestTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface HttpAnswer {
  status: number;
  /** The raw body ('' for 204). */
  body: string;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One HTTP exchange with RunPod (REST or GraphQL), with what both need: the key in `Authorization: Bearer`
 * (never in a URL: URLs end up in proxy logs and error messages), 401 → RunpodAuthError, and retries after 429
 * (honouring Retry-After), 5xx and network failures. A `createsResource` request is retried only when RunPod
 * certainly did not act on it (429, connection refused): retrying a create whose answer was lost (timeout, 5xx)
 * could rent a second pod nobody knows about. Other statuses are returned for the caller to interpret.
 */
export class HttpTransport {
  private readonly apiKey: string;
  private readonly logger: Logger;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly requestTimeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: HttpTransportOptions) {
    this.apiKey = options.apiKey;
    registerSecret(options.apiKey);
    this.logger = options.logger ?? silentLogger;
    this.maxRetries = options.maxRetries ?? 4;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.sleep = options.sleep ?? delay;
  }

  /** `step` names the operation in errors and logs, e.g. `create RunPod pod`. */
  async send(step: string, method: string, url: string, body: unknown, options: { createsResource?: boolean } = {}): Promise<HttpAnswer> {
    const mayRetry = (certainlyNotProcessed: boolean) => !options.createsResource || certainlyNotProcessed;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), accept: 'application/json', authorization: `Bearer ${this.apiKey}` },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.requestTimeoutMs),
        });
      } catch (error) {
        if (attempt < this.maxRetries && mayRetry(isConnectionRefused(error))) {
          await this.wait(step, attempt, null, `network error: ${describeError(error)}`);
          continue;
        }
        throw new RunpodApiError(step, `cannot reach the RunPod API: ${describeError(error)}`, 'check the network; the run retried', {
          cause: new Error(describeError(error)),
        });
      }
      if (response.status === 401) throw new RunpodAuthError(step, response.status);
      const text = await safeText(response);
      if (response.status === 429 || response.status >= 500) {
        if (attempt < this.maxRetries && mayRetry(response.status === 429)) {
          await this.wait(step, attempt, response.headers.get('retry-after'), `HTTP ${response.status}`);
          continue;
        }
        throw new RunpodApiError(step, `RunPod API answered HTTP ${response.status} after ${attempt + 1} ${attempt === 0 ? 'try' : 'tries'}: ${text.slice(0, 300)}`);
      }
      return { status: response.status, body: text };
    }
  }

  private async wait(step: string, attempt: number, retryAfter: string | null, why: string): Promise<void> {
    const fromHeader = parseRetryAfter(retryAfter);
    const backoff = this.baseDelayMs * 2 ** attempt;
    const ms = Math.min(fromHeader ?? backoff, this.maxDelayMs);
    this.logger.warn(`${step}: ${why}; retry ${attempt + 1}/${this.maxRetries} in ${(ms / 1000).toFixed(1)} s`);
    await this.sleep(ms);
  }
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function isConnectionRefused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } } | null)?.cause;
  return cause?.code === 'ECONNREFUSED';
}

async function safeText(response: Response): Promise<string> {
  try {
    return await response.text();
  } catch {
    return '';
  }
}
