/**
 * `npm run lab`: JupyterLab from .venv with the statarb kernel, as root too (it adds --allow-root),
 * printing the URL; the kernelspec JupyterLab serves carries the launcher logos.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { KERNEL_LOGOS } from "../../kernel/kernelspec.js";

const root = join(import.meta.dirname, "..", "..");
const ready = existsSync(join(root, ".venv", "bin", "jupyter")) && existsSync(join(root, "dist", "kernel", "main.js"));

describe.skipIf(!ready)("npm run lab", () => {
  let lab: ChildProcess | undefined;
  afterAll(async () => {
    if (lab?.pid === undefined || lab.exitCode !== null) return;
    const exited = new Promise((r) => lab!.once("exit", r));
    process.kill(-lab.pid, "SIGTERM");
    await exited;
  });

  it("starts JupyterLab, prints its URL, and serves the statarb kernelspec with its logos", async () => {
    const port = 18_000 + (process.pid % 2000);
    lab = spawn("npm", ["run", "--silent", "lab"], { cwd: root, env: { ...process.env, PORT: String(port) }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    lab.stderr!.resume();
    const url = await new Promise<string>((resolve, reject) => {
      lab!.stdout!.on("data", (d: Buffer) => {
        out += String(d);
        const m = /JupyterLab is running .*: (http:\/\/127\.0\.0\.1:\d+\/lab\?token=\w*)/.exec(out);
        if (m) resolve(m[1]!);
      });
      lab!.once("exit", (code) => reject(new Error(`npm run lab exited ${code}: ${out}`)));
    });
    const u = new URL(url);
    const token = u.searchParams.get("token") ?? "";
    const api = await fetch(`${u.origin}/api/kernelspecs?token=${token}`);
    expect(api.status).toBe(200);
    const specs = (await api.json()) as { kernelspecs: Record<string, { spec: { display_name: string }; resources: Record<string, string> }> };
    const statarb = specs.kernelspecs.statarb!;
    expect(statarb.spec.display_name).toBe("TypeScript (statarb)");
    for (const logo of KERNEL_LOGOS) expect(Object.keys(statarb.resources)).toContain(logo.replace(/\.(png|svg)$/, ""));
    const png = await fetch(`${u.origin}${statarb.resources["logo-64x64"]}?token=${token}`);
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString()).toBe("PNG");
  }, 180_000);
});
