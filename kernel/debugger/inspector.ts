/**
 * The adapter's `Inspector` over node:inspector, connected from a worker thread to the main thread of
 * the same process (`Session.connectToMainThread`): the main thread's V8 serves it even while paused
 * at a breakpoint, since the session's messages are dispatched in the pause loop. A session's pending
 * replies keep no handle alive, so the worker's event loop is held open while the session is.
 */
import { Session } from "node:inspector";
import type { Inspector } from "./dap.js";

export function connectToMainThread(): Inspector {
  const session = new Session();
  session.connectToMainThread();
  const keepAlive = setInterval(() => undefined, 1 << 30);
  return {
    post: <T>(method: string, params: Record<string, unknown> = {}) =>
      new Promise<T>((resolve, reject) => {
        session.post(method, params, (err, result) => (err ? reject(new Error(`${method}: ${err.message}`)) : resolve(result as T)));
      }),
    on: (event, listener) => {
      session.on(event, (message: { params: Record<string, unknown> }) => listener(message.params));
    },
    disconnect: () => {
      clearInterval(keepAlive);
      session.disconnect();
    },
  };
}
