/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";

// The Tauri shell embeds `ui/dist`. Only index.html is an entry: the mock page under dev/ is
// served by `npm run dev` (and built by vite.mock.config.ts for screenshots), never shipped.
export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  base: "./",
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // No inline <script> or data: URLs in the output (the CSP is default-src 'self').
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  test: {
    environment: "jsdom",
    // Tooltips show exact times; pin the zone so expectations hold on any machine.
    env: { TZ: "UTC" },
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/test/setup.ts"],
    benchmark: { include: ["bench/**/*.bench.ts"] },
  },
});
