import type { Logger } from '../../log.ts';

/**
 * Secrets must never reach a log line, an error message, a report or a state file. Every secret the
 * RunPod provider handles (the API key, the per-run private key) is registered here the moment it is
 * read or made, and everything the provider prints or throws passes through `redact`. A registry
 * rather than a parameter, because errors are built deep inside fetch wrappers where threading a
 * redactor through would be easy to forget — and one forgotten path is a leak.
 */
const secrets = new Set<string>();

const MASK = '[REDACTED]';
/** Private keys are masked by shape too, in case one arrives that was never registered. */
const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;
/** RunPod's documented GraphQL URL form carries the key as `?api_key=`; mask any such value. */
const API_KEY_QUERY = /([?&]api_key=)[^&\s"']+/gi;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g;

export function registerSecret(secret: string | undefined): void {
  // Very short strings would mask ordinary words; real keys are long.
  if (!secret || secret.length < 8) return;
  secrets.add(secret);
  // A PEM/OpenSSH key is several lines; a log that cuts it up must not leak a line of it either.
  for (const line of secret.split('\n')) if (line.length >= 16 && !line.startsWith('-----')) secrets.add(line.trim());
}

export function redact(text: string): string {
  let out = text.replace(PRIVATE_KEY_BLOCK, MASK).replace(API_KEY_QUERY, `$1${MASK}`).replace(BEARER, `$1${MASK}`);
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
    // A private key can also appear with its line breaks escaped (inside JSON).
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret && out.includes(escaped)) out = out.split(escaped).join(MASK);
  }
  return out;
}

/** A message for an unknown thrown value, redacted. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
    return redact(`${error.message}${cause}`);
  }
  return redact(String(error));
}

export function redactingLogger(inner: Logger): Logger {
  return {
    info: (m) => inner.info(redact(m)),
    warn: (m) => inner.warn(redact(m)),
    debug: (m) => inner.debug(redact(m)),
  };
}
