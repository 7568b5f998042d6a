import { defineConfig, mergeConfig } from "vite";
import base from "./vite.config.ts";

// Builds the dev-only mock page (mockIPC with generated rows) for screenshots in a plain browser.
// Output goes to dist-mock/, which is git-ignored and never embedded by the shell.
export default mergeConfig(
  base,
  defineConfig({
    // `vite preview -c vite.mock.config.ts` serves the mock build under the app's strict CSP, so a
    // violation (inline style attribute, inline script, eval, remote font) shows in the console.
    preview: {
      port: 4173,
      headers: {
        "Content-Security-Policy":
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'",
      },
    },
    build: {
      outDir: "dist-mock",
      rollupOptions: { input: { mock: "dev/mock.html" } },
    },
  }),
);
