/**
 * Opens local HTML files in Debian's headless Chromium (playwright-core, no downloaded browser) and
 * reports what a reader would see go wrong: console errors, uncaught page errors, failed loads, and
 * any request that tries to leave the machine (every non-file URL is aborted and recorded, so a page
 * that needs the network fails the check instead of hanging on this closed network).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
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

/** What {@link checkHtmlInBrowser} saw. */
export interface BrowserCheckResult {
  /** Console messages of type "error" and uncaught page errors. */
  readonly consoleErrors: readonly string[];
  /** Requests to anything but local URLs (aborted; a self-contained page makes none). */
  readonly externalRequests: readonly string[];
  readonly failedRequests: readonly string[];
  /** <svg> elements in the rendered page, and those with a non-zero rendered size. */
  readonly svgCount: number;
  readonly visibleSvgCount: number;
  readonly title: string;
  /** The screenshot's path, when one was asked for. */
  readonly screenshot: string | null;
}

/** Opens one HTML file in headless Chromium: console errors, network use, the charts rendered and an optional full-page screenshot. */
export async function checkHtmlInBrowser(file: string, options: { screenshot?: string } = {}): Promise<BrowserCheckResult> {
  const browser = await launchBrowser();
  try {
    let info = { svgCount: 0, visible: 0, title: "" };
    const report = await browser.open(resolve(file), async (page) => {
      info = await page.evaluate(() => {
        const svgs = Array.from(document.querySelectorAll("svg"));
        return { svgCount: svgs.length, visible: svgs.filter((s) => s.getBoundingClientRect().width > 0 && s.getBoundingClientRect().height > 0).length, title: document.title };
      });
      if (options.screenshot !== undefined) {
        mkdirSync(dirname(resolve(options.screenshot)), { recursive: true });
        await page.screenshot({ path: options.screenshot, fullPage: true });
      }
    });
    return Object.freeze({
      consoleErrors: Object.freeze([...report.consoleErrors, ...report.pageErrors]),
      externalRequests: Object.freeze(report.externalRequests),
      failedRequests: Object.freeze(report.failedRequests.filter((f) => !report.externalRequests.some((u) => f.startsWith(u.slice(0, 120))))),
      svgCount: info.svgCount,
      visibleSvgCount: info.visible,
      title: info.title,
      screenshot: options.screenshot ?? null,
    });
  } finally {
    await browser.close();
  }
}
