/** Seconds since boot from /proc/uptime (`350735.47 234388.90`: up, then idle summed over cores). */
export function parseUptime(text: string): number {
  const up = Number(text.trim().split(/\s+/)[0]);
  if (!Number.isFinite(up))
    throw new Error(`/proc/uptime is not an uptime line: ${JSON.stringify(text.slice(0, 80))}`);
  return up;
}
