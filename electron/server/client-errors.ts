// One line on stderr per client that sent something the server refused or could not handle: the
// process goes on serving everyone else.
export function logClientError(where: string, error: unknown): void {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`[proctor] ${where}: ${text}`);
}
