/** ModelRegistry under hostile names, links out of the root and processes killed mid-save (issue 15). */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ModelRegistry, ReversalModel } from "../../lib/signals/index.js";

const outer = mkdtempSync(join(tmpdir(), "statarb-registry-safety-"));
const root = join(outer, "registry");
mkdirSync(root);
afterAll(() => rmSync(outer, { recursive: true, force: true }));
const window = { start: "2020-01-02", end: "2020-12-31" };
const listing = (dir: string): string[] => readdirSync(dir).sort();

describe("ModelRegistry names and paths", () => {
  it("refuses names that are not one safe folder inside the root, and writes nothing", async () => {
    const reg = new ModelRegistry(root);
    const before = [listing(outer), listing(root)];
    for (const name of ["..", ".", "../evil", "a/b", "a\\b", "a..b", "", ".hidden", "-x", "x".repeat(129), "é"]) {
      await expect(reg.save(new ReversalModel(), { name, trainingWindow: window }), name).rejects.toThrow(RangeError);
      await expect(reg.save(new ReversalModel(), { name, trainingWindow: window }), name).rejects.toThrow(/ModelRegistry.save: name must use letters, digits.*contain no "\.\."/);
      await expect(reg.versions(name), name).rejects.toThrow(/ModelRegistry.versions: name must/);
      await expect(reg.load(name), name).rejects.toThrow(/name must/);
    }
    await expect(reg.save(new ReversalModel(), { name: 5 as never, trainingWindow: window })).rejects.toThrow(new TypeError("ModelRegistry.save: name must be a string, got 5"));
    expect([listing(outer), listing(root)]).toEqual(before);
    expect(await reg.names()).toEqual([]);
  });

  it("refuses a name folder that is a link leading out of the root", async () => {
    const elsewhere = join(outer, "elsewhere");
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(root, "linked"));
    const reg = new ModelRegistry(root);
    await expect(reg.save(new ReversalModel(), { name: "linked", trainingWindow: window })).rejects.toThrow(/linked leads to .*elsewhere, outside the registry root/);
    expect(listing(elsewhere)).toEqual([]);
    rmSync(join(root, "linked"));
  });

  it("refuses unknown save options and bad versions", async () => {
    const reg = new ModelRegistry(root);
    await expect(reg.save(new ReversalModel(), { name: "ok", trainingWindow: window, note: "x" } as never)).rejects.toThrow(/ModelRegistry.save: unknown option "note" \(did you mean "notes"\?\)/);
    await reg.save(new ReversalModel(), { name: "ok", trainingWindow: window });
    await expect(reg.load("ok", 0)).rejects.toThrow(/version must be an integer ≥ 1, got 0/);
    await expect(reg.load("ok", "../../x" as never)).rejects.toThrow(/version must be an integer ≥ 1, got "\.\.\/\.\.\/x"/);
    expect((await reg.load("ok", 1)).record.version).toBe(1);
  });
});

describe("ModelRegistry orphaned temporary folders", () => {
  it("the next save removes the folder of a process killed mid-save, and keeps a live writer's", async () => {
    const base = join(root, "rev");
    mkdirSync(base, { recursive: true });
    // A real process that starts a save's temporary folder, writes half a file and is killed.
    const script = `const fs=require("fs");const d=${JSON.stringify(base)}+"/.tmp-"+process.pid+"-0badcafe";fs.mkdirSync(d);fs.writeFileSync(d+"/model.json","{\\"formatVe");process.kill(process.pid,"SIGKILL");`;
    expect(() => execFileSync(process.execPath, ["-e", script], { stdio: "ignore" })).toThrow();
    const orphan = readdirSync(base).find((d) => d.endsWith("-0badcafe")) as string;
    expect(orphan).toMatch(/^\.tmp-\d+-0badcafe$/);
    // A folder of this (live) process: a save in flight, to keep; and a live pid's folder two days old: an orphan.
    const live = `.tmp-${process.pid}-0000aaaa`;
    const stale = `.tmp-${process.pid}-0000bbbb`;
    for (const d of [live, stale]) mkdirSync(join(base, d));
    const twoDaysAgo = (Date.now() - 2 * 86_400_000) / 1000;
    utimesSync(join(base, stale), twoDaysAgo, twoDaysAgo);
    writeFileSync(join(base, "notes.txt"), "not the registry's");

    const rec = await new ModelRegistry(root).save(new ReversalModel(), { name: "rev", trainingWindow: window });
    expect(rec.version).toBe(1);
    expect(listing(base)).toEqual([live, "notes.txt", "v0001"].sort());
    expect(existsSync(join(base, "v0001", "model.json"))).toBe(true);
    rmSync(join(base, live), { recursive: true });
  });

  it("cleanOrphans() sweeps every name and returns what it removed", async () => {
    const reg = new ModelRegistry(root);
    const dead = join(root, "ok", ".tmp-999999999-deadbeef");
    mkdirSync(dead);
    expect(await reg.cleanOrphans()).toEqual([dead]);
    expect(await reg.cleanOrphans()).toEqual([]);
  });
});
