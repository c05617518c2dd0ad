/**
 * PDF/PNG export of HTML reports in headless Chromium, through playwright-core driving the system's
 * Chromium (Debian's /usr/bin/chromium, or `executablePath` / `$STATARB_CHROMIUM`). No browser is
 * downloaded; a missing one is one clear error. The page is opened from a file:// URL with
 * networking-related background services off. (The browser check of rendered pages is a test
 * helper: test/helpers/browser.ts.)
 */
import { existsSync } from "node:fs";
import { rename } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { opt, readOptions } from "../data/index.js";
import { makeDirs } from "../fs/index.js";

/** Options shared by the browser helpers. */
export interface BrowserOptions {
  /** Chromium binary (default `$STATARB_CHROMIUM`, else /usr/bin/chromium). */
  executablePath?: string;
  /** Navigation timeout in ms (default 30,000). */
  timeoutMs?: number;
}

// The browser options, read once with the one option helper (unknown keys refused).
const BROWSER_RULES = { executablePath: opt.optional(opt.string("", { nonEmpty: true })), timeoutMs: opt.integer(30_000, { min: 1 }) };

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** The Chromium binary the helpers would use, or null when none is installed. */
export function findChromium(executablePath?: string): string | null {
  const p = executablePath ?? process.env.STATARB_CHROMIUM ?? "/usr/bin/chromium";
  return existsSync(p) ? p : null;
}

interface PwBrowser {
  newPage(): Promise<PwPage>;
  close(): Promise<void>;
}
interface PwPage {
  on(event: "console", fn: (m: { type(): string; text(): string }) => void): void;
  on(event: "pageerror", fn: (e: Error) => void): void;
  on(event: "requestfailed", fn: (r: { url(): string }) => void): void;
  on(event: "request", fn: (r: { url(): string }) => void): void;
  goto(url: string, o: { waitUntil: string; timeout: number }): Promise<unknown>;
  pdf(o: { path: string; format: string; printBackground: boolean }): Promise<unknown>;
  screenshot(o: { path: string; fullPage: boolean }): Promise<unknown>;
  setViewportSize(s: { width: number; height: number }): Promise<void>;
  evaluate<T>(fn: () => T): Promise<T>;
}

async function launch(where: string, o: BrowserOptions): Promise<PwBrowser> {
  const exe = findChromium(o.executablePath);
  if (exe === null) throw new Error(`${where}: Chromium not found at ${o.executablePath ?? process.env.STATARB_CHROMIUM ?? "/usr/bin/chromium"}; install it (apt-get install chromium) or pass executablePath`);
  let pw: { chromium: { launch(o: { executablePath: string; args: string[]; headless: boolean }): Promise<PwBrowser> } };
  try {
    pw = (await import("playwright-core")) as unknown as typeof pw;
  } catch {
    throw new Error(`${where}: the playwright-core package is not installed; npm install playwright-core`);
  }
  return pw.chromium.launch({ executablePath: exe, args: FLAGS, headless: true });
}

async function withPage<T>(where: string, htmlPath: string, o: BrowserOptions, fn: (page: PwPage) => Promise<T>): Promise<T> {
  const abs = resolve(htmlPath);
  if (!existsSync(abs)) throw new Error(`${where}: no file ${abs}`);
  const browser = await launch(where, o);
  try {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1000, height: 1200 });
    return await fn(page);
  } finally {
    await browser.close();
  }
}

async function atomicOut(path: string, write: (tmp: string) => Promise<unknown>): Promise<string> {
  const abs = resolve(path);
  await makeDirs(dirname(abs));
  const ext = abs.slice(abs.lastIndexOf("."));
  const tmp = `${abs}.${process.pid}.tmp${ext}`;
  await write(tmp);
  await rename(tmp, abs);
  return abs;
}

/** Prints an HTML file to PDF (A4, backgrounds on); returns the PDF's absolute path. */
export async function exportPDF(htmlPath: string, pdfPath: string, options: BrowserOptions = {}): Promise<string> {
  const o = readOptions("exportPDF", options, BROWSER_RULES);
  return withPage("exportPDF", htmlPath, o, async (page) => {
    await page.goto(pathToFileURL(resolve(htmlPath)).href, { waitUntil: "load", timeout: o.timeoutMs });
    return atomicOut(pdfPath, (tmp) => page.pdf({ path: tmp, format: "A4", printBackground: true }));
  });
}

/** Full-page PNG screenshot of an HTML file; returns the PNG's absolute path. */
export async function exportPNG(htmlPath: string, pngPath: string, options: BrowserOptions = {}): Promise<string> {
  const o = readOptions("exportPNG", options, BROWSER_RULES);
  return withPage("exportPNG", htmlPath, o, async (page) => {
    await page.goto(pathToFileURL(resolve(htmlPath)).href, { waitUntil: "load", timeout: o.timeoutMs });
    return atomicOut(pngPath, (tmp) => page.screenshot({ path: tmp, fullPage: true }));
  });
}
