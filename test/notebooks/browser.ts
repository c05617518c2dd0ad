/**
 * Opens local HTML files in Debian's headless Chromium (playwright-core, no downloaded browser) and
 * reports what a reader would see go wrong: console errors, uncaught page errors, failed loads, and
 * any request that tries to leave the machine (every non-file URL is aborted and recorded, so a page
 * that needs the network fails the check instead of hanging on this closed network).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

export interface PageReport {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
  externalRequests: string[];
}

export interface Browser {
  open(file: string, inspect: (page: Page) => Promise<void>): Promise<PageReport>;
  close(): Promise<void>;
}

/** A browser with a fresh profile folder (removed on close). */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "statarb-chromium-"));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1100, height: 900 },
  });
  return {
    async open(file, inspect) {
      const report: PageReport = { consoleErrors: [], pageErrors: [], failedRequests: [], externalRequests: [] };
      const page = await context.newPage();
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("file:") || url.startsWith("data:") || url.startsWith("blob:") || url === "about:blank") return route.continue();
        report.externalRequests.push(url);
        return route.abort();
      });
      page.on("console", (m) => {
        if (m.type() === "error") report.consoleErrors.push(m.text());
      });
      page.on("pageerror", (e) => report.pageErrors.push(String(e)));
      page.on("requestfailed", (r) => report.failedRequests.push(`${r.url().slice(0, 120)}: ${r.failure()?.errorText ?? "failed"}`));
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      await page.waitForLoadState("networkidle").catch(() => undefined);
      try {
        await inspect(page);
      } finally {
        await page.close();
      }
      return report;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
