import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
    // Two workers on two cores: most suites wait on a child (Python, R, Octave, a kernel) half the time.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
