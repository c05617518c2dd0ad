/**
 * jupyter_client chooses a kernel's five TCP ports (bind to port 0, close) before the kernel binds
 * them, so with suites running in parallel another process can take one of them in between and the
 * kernel exits with "cannot bind the kernel's sockets: Address already in use". Such a start is a
 * race of the test machine, not a kernel fault: it is run again (a new client picks new ports).
 * Any other failure is returned or thrown at once.
 */
const PORT_RACE = /cannot bind the kernel's sockets: Address already in use|Address already in use/;

/** Whether a failed client run's output shows the kernel lost its ports to another process. */
export function isPortRace(output: string): boolean {
  return PORT_RACE.test(output);
}

/**
 * Runs `attempt` up to `tries` times while it fails by the port race: `failedOutput` says whether a
 * result is such a failure (for runs that do not throw), and thrown errors are checked by message.
 */
export async function retryPortRace<T>(attempt: () => Promise<T>, failedOutput: (r: T) => string | null = () => null, tries = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      const r = await attempt();
      const out = failedOutput(r);
      if (i < tries && out !== null && isPortRace(out)) continue;
      return r;
    } catch (e) {
      const text = e instanceof Error ? `${e.message}\n${(e as { stderr?: unknown }).stderr ?? ""}` : String(e);
      if (i < tries && isPortRace(text)) continue;
      throw e;
    }
  }
}
