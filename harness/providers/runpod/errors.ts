import { HarnessError } from '../../errors.ts';
import { redact } from './redact.ts';

/**
 * RunPod failures. All are infrastructure failures: they say nothing about BitNet. Every message is
 * redacted at construction, so no caller can forget to.
 */
export class RunpodApiError extends HarnessError {
  constructor(step: string, message: string, hint?: string, options?: { cause?: unknown }) {
    super('infrastructure', step, redact(message), hint ? redact(hint) : undefined, options);
    this.name = 'RunpodApiError';
  }
}

/** HTTP 401 (key wrong, revoked, missing) or 403 (key valid but without access); GraphQL's `data: null`. Never retried. */
export class RunpodAuthError extends RunpodApiError {
  constructor(step: string, status: number | string) {
    super(
      step,
      status === 403 ? 'RUNPOD_API_KEY lacks access to this (HTTP 403)' : `RUNPOD_API_KEY rejected (${typeof status === 'number' ? `HTTP ${status}` : status})`,
      'create a key with read/write access at console.runpod.io → Settings → API Keys and export it as RUNPOD_API_KEY',
    );
    this.name = 'RunpodAuthError';
  }
}

/** The GraphQL endpoint answered HTTP 200 with an `errors` array. */
export class RunpodGraphqlError extends RunpodApiError {
  readonly messages: string[];
  constructor(step: string, messages: string[]) {
    const clean = messages.map(redact);
    super(step, `RunPod API error: ${clean.join('; ')}`);
    this.name = 'RunpodGraphqlError';
    this.messages = clean;
  }
}

/**
 * RunPod could not place this candidate (no capacity; over REST also a 400 rule break or a 403 pool without
 * access, which the API cannot tell apart from capacity); the caller tries the next option.
 */
export class RunpodCapacityError extends RunpodApiError {
  readonly messages: string[];
  constructor(step: string, messages: string[], status?: number) {
    const clean = messages.map(redact);
    super(step, `RunPod could not place the pod${status ? ` (HTTP ${status})` : ''}: ${clean.join('; ')}`);
    this.name = 'RunpodCapacityError';
    this.messages = clean;
  }
}

/** RunPod's wording for "out of capacity", seen on both the GraphQL and REST APIs. */
const CAPACITY_PATTERNS = [
  /no longer any instances available/i,
  /does not have the resources to deploy your pod/i,
  /no instances (are )?available/i,
];

export function isCapacityMessage(message: string): boolean {
  return CAPACITY_PATTERNS.some((p) => p.test(message));
}
