/**
 * Fan-out of a backtest function's calls (walk-forward evaluations, Monte Carlo paths) to another engine.
 * lib knows only the shape of the map, never the engine: `rayPool().map({ module, export })` or
 * `rayMap(…)` of `statarb/sweep` give one that runs the calls as Ray tasks (Node processes importing
 * `module`), with values crossing as exact JSON, so the results equal the serial run's bit for bit.
 */

/**
 * A map of one function over argument lists, run elsewhere: `calls[i]` are the arguments of call i, and
 * the promise resolves to the results in the same order. It must run the same (pure) function the
 * caller would have called in process: the results then equal the serial run's.
 */
export type ParallelMap = (calls: readonly (readonly unknown[])[]) => Promise<readonly unknown[]>;

/** Runs `calls` through `parallel`; refuses an answer that is not one result per call. */
export async function mapCalls<T>(where: string, parallel: ParallelMap, calls: readonly (readonly unknown[])[]): Promise<T[]> {
  if (calls.length === 0) return [];
  const results = await parallel(calls);
  if (!Array.isArray(results) || results.length !== calls.length) {
    throw new Error(`${where}: the parallel map returned ${Array.isArray(results) ? `${results.length} results` : typeof results} for ${calls.length} calls`);
  }
  return results as T[];
}
