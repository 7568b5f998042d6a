import { defineConfig, mergeConfig } from "vite";
import base from "./vite.config";

// Builds the dev-only mock page (mockIPC with generated rows) for screenshots in a plain browser.
// Output goes to dist-mock/, which is git-ignored and never embedded by the shell.
export default mergeConfig(
  base,
  defineConfig({
    build: {
      outDir: "dist-mock",
      rollupOptions: { input: { mock: "dev/mock.html" } },
    },
  }),
);
