import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Validator as OpenApiDocumentValidator } from '@seriousme/openapi-schema-validator';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * RunPod's published OpenAPI 3.1 document (fixtures/runpod/openapi-v2.json) as a contract the fake API enforces
 * on both sides: every request it receives and every response it sends is checked against the operation's
 * parameters, request body and per-status response schema. The document itself is first checked against the
 * OpenAPI 3.1 meta-schema (@seriousme/openapi-schema-validator); schemas are compiled with Ajv's JSON Schema
 * 2020-12 dialect, the one OpenAPI 3.1 uses (unevaluatedProperties, if/then, type arrays).
 */
export const RUNPOD_OPENAPI_FILE = fileURLToPath(new URL('../../fixtures/runpod/openapi-v2.json', import.meta.url));
const DOC_ID = 'https://runpod.fixture/openapi-v2.json';

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Json;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Json }> };
  responses: Record<string, Json>;
}

export interface MatchedOperation {
  operationId: string;
  pathParams: Record<string, string>;
}

export class OpenApiContract {
  private readonly ajv: Ajv2020;
  private readonly routes: { method: string; template: string; pattern: RegExp; names: string[]; op: Operation; shared: Parameter[] }[] = [];
  private readonly cache = new Map<string, ValidateFunction>();

  private constructor(readonly document: Json) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
    addFormats.default(this.ajv);
    // OpenAPI's numeric formats are annotations for code generators, not checks.
    for (const format of ['float', 'double', 'int32', 'int64']) this.ajv.addFormat(format, true);
    this.ajv.addSchema({ $id: DOC_ID, components: (document as { components: Json }).components });
    for (const [template, item] of Object.entries(document.paths as Record<string, Json>)) {
      const names: string[] = [];
      const pattern = new RegExp(`^${template.replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`);
      for (const [method, op] of Object.entries(item)) {
        if (method === 'parameters' || typeof op !== 'object') continue;
        this.routes.push({ method: method.toUpperCase(), template, pattern, names, op: op as Operation, shared: (item.parameters as Parameter[] | undefined) ?? [] });
      }
    }
  }

  /** Loads the fixture and checks it is a valid OpenAPI 3.1 document first. */
  static async load(file = RUNPOD_OPENAPI_FILE): Promise<OpenApiContract> {
    const document = JSON.parse(readFileSync(file, 'utf8')) as Json;
    const result = await new OpenApiDocumentValidator().validate(document);
    if (!result.valid) throw new Error(`${file} is not a valid OpenAPI document: ${JSON.stringify(result.errors).slice(0, 500)}`);
    if (!String(document.openapi).startsWith('3.1')) throw new Error(`${file}: expected OpenAPI 3.1, got ${String(document.openapi)}`);
    return new OpenApiContract(document);
  }

  /**
   * Problems with a request, [] when it matches the document: unknown path or method, undeclared or ill-typed
   * query parameters, a missing or invalid JSON body. `operation` is null when no route matched.
   */
  checkRequest(method: string, url: URL, body: unknown, contentType: string | undefined): { operation: MatchedOperation | null; problems: string[] } {
    const route = this.routes.find((r) => r.method === method && r.pattern.test(url.pathname));
    if (!route) {
      const known = this.routes.some((r) => r.pattern.test(url.pathname));
      return { operation: null, problems: [known ? `${method} is not allowed on ${url.pathname}` : `no operation for ${method} ${url.pathname}`] };
    }
    const values = route.pattern.exec(url.pathname)!.slice(1);
    const pathParams = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(values[i]!)]));
    const problems: string[] = [];
    const params = [...route.shared, ...(route.op.parameters ?? [])];
    for (const name of new Set(url.searchParams.keys())) {
      if (!params.some((p) => p.in === 'query' && p.name === name)) problems.push(`query parameter "${name}" is not defined for ${route.op.operationId}`);
    }
    for (const p of params) {
      const raw = p.in === 'query' ? url.searchParams.get(p.name) : p.in === 'path' ? pathParams[p.name] : undefined;
      if (p.in !== 'query' && p.in !== 'path') continue;
      if (raw === null || raw === undefined) {
        if (p.required) problems.push(`missing ${p.in} parameter "${p.name}"`);
        continue;
      }
      if (p.schema) problems.push(...this.check(p.schema, coerce(raw, p.schema), `${p.in} parameter ${p.name}`));
    }
    const declared = route.op.requestBody;
    if (declared) {
      const media = declared.content['application/json'];
      if (body === undefined) {
        if (declared.required) problems.push(`${route.op.operationId} needs a JSON body`);
      } else if (!media || !contentType?.startsWith('application/json')) {
        problems.push(`${route.op.operationId} takes application/json, got ${contentType ?? 'no content-type'}`);
      } else {
        problems.push(...this.check(media.schema, body, 'body'));
      }
    } else if (body !== undefined) {
      problems.push(`${route.op.operationId} takes no body`);
    }
    return { operation: { operationId: route.op.operationId, pathParams }, problems };
  }

  /** Problems with a response the fake is about to send, [] when the document allows it. */
  checkResponse(operationId: string, status: number, contentType: string | undefined, body: unknown): string[] {
    const route = this.routes.find((r) => r.op.operationId === operationId);
    if (!route) return [`unknown operation ${operationId}`];
    let response = route.op.responses[String(status)] ?? route.op.responses.default;
    if (!response) return [`${operationId} documents no HTTP ${status}`];
    if (typeof response.$ref === 'string') response = this.resolve(response.$ref);
    const content = response.content as Record<string, { schema: Json }> | undefined;
    if (!content) return body === undefined ? [] : [`${operationId} HTTP ${status} has no body, but one was sent`];
    const media = contentType?.split(';')[0]?.trim() ?? '';
    const declared = content[media];
    if (!declared) return [`${operationId} HTTP ${status} is ${Object.keys(content).join(' or ')}, not ${media || 'no content-type'}`];
    return this.check(declared.schema, body, `HTTP ${status} body`);
  }

  private check(schema: Json, value: unknown, where: string): string[] {
    const key = JSON.stringify(schema);
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.compile(rebase(schema));
      this.cache.set(key, validate);
    }
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${where}: ${describe(e)}`);
  }

  private resolve(ref: string): Json {
    let node: unknown = this.document;
    for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Json)[part];
    return node as Json;
  }
}

/** `#/components/…` refs inside an operation point at the document; compiled standalone, they need its id. */
function rebase(schema: Json): Json {
  return JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/components/', `"$ref":"${DOC_ID}#/components/`));
}

function coerce(raw: string, schema: Json): unknown {
  if (schema.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (schema.type === 'integer' || schema.type === 'number') return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  return raw;
}

function describe(e: ErrorObject): string {
  const at = e.instancePath || '$';
  if (e.keyword === 'unevaluatedProperties' || e.keyword === 'additionalProperties') {
    const extra = (e.params as { unevaluatedProperty?: string; additionalProperty?: string }).unevaluatedProperty ?? (e.params as { additionalProperty?: string }).additionalProperty;
    return `${at}: additional property '${extra}' not allowed`;
  }
  return `${at}: ${e.message ?? e.keyword}`;
}
