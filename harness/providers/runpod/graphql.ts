import { RunpodApiError, RunpodCapacityError, RunpodGraphqlError, isCapacityMessage } from './errors.ts';
import type { HttpTransport } from './http.ts';

/** RunPod's GraphQL endpoint, deprecated ("retired in early 2027", docs sdks/graphql/configurations.mdx). */
export const RUNPOD_GRAPHQL_URL = 'https://api.runpod.io/graphql';

/**
 * Posts GraphQL documents to RunPod. Kept only for what the REST API lacks (see docs/runpod.md): the pod create
 * that takes a server-side `terminateAfter`. GraphQL reports failures as HTTP 200 with an `errors` array; those
 * become typed errors here.
 */
export class GraphqlTransport {
  constructor(
    private readonly http: HttpTransport,
    readonly url: string = RUNPOD_GRAPHQL_URL,
  ) {}

  async request<T>(step: string, query: string, options: { createsResource?: boolean } = {}): Promise<T> {
    const answer = await this.http.send(step, 'POST', this.url, { query }, options);
    let parsed: { data?: T; errors?: { message?: string }[] };
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      throw new RunpodApiError(step, `RunPod GraphQL API answered HTTP ${answer.status} with a non-JSON body: ${answer.body.slice(0, 300)}`);
    }
    if (parsed.errors?.length) {
      const messages = parsed.errors.map((e) => e.message ?? JSON.stringify(e));
      if (messages.some(isCapacityMessage)) throw new RunpodCapacityError(step, messages);
      throw new RunpodGraphqlError(step, messages);
    }
    if (answer.status !== 200 || parsed.data === undefined || parsed.data === null) {
      throw new RunpodApiError(step, `RunPod GraphQL API answered HTTP ${answer.status} without data: ${answer.body.slice(0, 300)}`);
    }
    return parsed.data;
  }
}
