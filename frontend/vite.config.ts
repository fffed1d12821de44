import react from "@vitejs/plugin-react";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

import { areaOf } from "./src/i18n/areas";

const AREA_QUERY = /^(.*\.json)\?area=(base|studio)$/;

/**
 * `import("../i18n/fr.json?area=studio")`: the keys of one part of a catalog (see
 * src/i18n/areas.ts), so a participant's first screen does not carry the studio's words.
 */
function catalogAreas(): Plugin {
  const files = new Map<string, string>(); // virtual id → the JSON file it is cut from
  return {
    name: "causerie-catalog-areas",
    enforce: "pre",
    async resolveId(source, importer) {
      const [, file, area] = AREA_QUERY.exec(source) ?? [];
      if (!file || !area) return null;
      const resolved = await this.resolve(file, importer, { skipSelf: true });
      if (!resolved) return null;
      // A name of its own (chunk "fr-base", "fr-studio"), not ending in ".json": Vite's JSON
      // plugin must leave the module below as it is.
      const lang = resolved.id.slice(resolved.id.lastIndexOf("/") + 1).replace(/\.json$/, "");
      const id = `\0catalog/${lang}-${area}.js`;
      files.set(id, resolved.id);
      return id;
    },
    async load(id) {
      const file = files.get(id);
      if (!file) return null;
      const area = id.endsWith("-studio.js") ? "studio" : "base";
      this.addWatchFile(file);
      // Read fresh each time (a query string defeats Node's module cache while watching).
      const module = (await import(`${file}?t=${Date.now()}`, { with: { type: "json" } })) as {
        default: Record<string, string>;
      };
      const part = Object.fromEntries(Object.entries(module.default).filter(([key]) => areaOf(key) === area));
      return `export default ${JSON.stringify(part)};`;
    },
  };
}

export default defineConfig({
  plugins: [catalogAreas(), react()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      "/api": { target: "http://127.0.0.1:8000", changeOrigin: false, ws: false },
    },
  },
  build: {
    outDir: "dist",
    // No source maps: the built files are all that is served (the server answers 404 for *.map).
    sourcemap: false,
    // dist/.vite/manifest.json: which chunks each screen needs (tests/e2e/test_first_load.py
    // keeps a participant's first screen within its budget).
    manifest: true,
    rolldownOptions: {
      output: {
        // The libraries every screen needs (React, the router, the query cache) in one
        // long-cached chunk, and the app's small shared pieces (UI primitives, helpers, the
        // API client) in another rather than a dozen tiny ones: over HTTP/1.1 a browser
        // fetches six files at a time. Each screen's own code stays in its lazy chunk.
        codeSplitting: {
          groups: [
            { name: "vendor", test: /[\\/]node_modules[\\/]/ },
            { name: "shared", test: /[\\/]src[\\/](api|components|lib)[\\/]/ },
          ],
        },
      },
    },
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./tests/setup.ts"],
    include: ["tests/**/*.test.{ts,tsx}", "src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
  },
});
