import { defineConfig } from "vitest/config";

// On CI, also write a JSON report: .ci/run reads it to print the plain "N passed, N failed" line.
const ci = process.env.CI === "true";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ci ? ["default", "json"] : ["default"],
    outputFile: ci ? { json: ".ci-out/vitest.json" } : undefined,
  },
});
