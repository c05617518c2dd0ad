/**
 * The slice of jsdom's API that lib/plot uses (jsdom 29 ships no types and @types/jsdom stops at 28).
 */
declare module "jsdom" {
  export class JSDOM {
    constructor(html?: string, options?: Record<string, unknown>);
    readonly window: Window & typeof globalThis;
  }
}
