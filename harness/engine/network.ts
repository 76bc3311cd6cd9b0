/** git, pip and Python's urllib (the model download) fail in many words when there is no network; these are the ones seen. */
const OFFLINE_PATTERNS = [
  /could not resolve host/i,
  /temporary failure in name resolution/i,
  /name or service not known/i,
  /network is unreachable/i,
  /failed to connect to/i,
  /connection (?:refused|timed out)/i,
  /unable to access 'https?:/i,
  /NewConnectionError|Max retries exceeded|ConnectionError/,
  /We couldn't connect to 'https:\/\/huggingface\.co'/i,
  /LocalEntryNotFoundError|offline mode is enabled/i,
];

export function looksOffline(output: string): boolean {
  return OFFLINE_PATTERNS.some((pattern) => pattern.test(output));
}
