/**
 * The one door from lib/ to the C++ matching engine (native/, exposed as `statarb/native`).
 * Importing this file never loads the addon; creating a book does, and throws an error naming
 * the build command (`node native/build.mjs`) when the addon has not been built.
 */
import {
  ENGINE_BUILD_COMMAND,
  OrderBook,
  isEngineBuilt,
  type BookFill,
  type BookOrder,
  type OrderBookOptions,
  type SubmitResult,
} from "../../native/ts/index.js";

export { BATCH_OP as NATIVE_BATCH_OP, BATCH_STATUS as NATIVE_BATCH_STATUS } from "../../native/ts/index.js";
export type { BookFill as NativeFill, BookOrder as NativeOrder, SubmitResult as NativeSubmitResult };
export type NativeOrderBook = OrderBook;

/** True when the matching-engine addon is built and loads. */
export function nativeEngineAvailable(): boolean {
  return isEngineBuilt();
}

/** A native price-time priority book; throws with the build command when the addon is missing. */
export function createNativeOrderBook(options: OrderBookOptions): NativeOrderBook {
  if (!isEngineBuilt()) {
    throw new Error(`statarb execution: the native matching engine is not built; run \`${ENGINE_BUILD_COMMAND}\` (or \`npm run setup\`)`);
  }
  return new OrderBook(options);
}
