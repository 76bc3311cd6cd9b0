/**
 * Renders JavaScript values as GraphQL input literals, the form RunPod's documentation uses
 * (`podFindAndDeployOnDemand(input: { cloudType: SECURE, name: "…" })`). Inline literals avoid
 * depending on input type names the public docs do not list. Strings go through JSON.stringify,
 * whose escapes are a subset of GraphQL's, so a quote or newline in a value cannot break the query.
 */
export class GqlEnum {
  constructor(readonly value: string) {
    if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(value)) throw new Error(`not a GraphQL enum value: ${value}`);
  }
}

export type GqlValue = string | number | boolean | null | GqlEnum | GqlValue[] | { [key: string]: GqlValue | undefined };

export function gqlLiteral(value: GqlValue): string {
  if (value === null) return 'null';
  if (value instanceof GqlEnum) return value.value;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(gqlLiteral).join(', ')}]`;
  const fields = Object.entries(value)
    .filter((entry): entry is [string, GqlValue] => entry[1] !== undefined)
    .map(([key, v]) => {
      if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(key)) throw new Error(`not a GraphQL field name: ${key}`);
      return `${key}: ${gqlLiteral(v)}`;
    });
  return `{ ${fields.join(', ')} }`;
}
