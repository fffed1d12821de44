// The SPA's lint (`npm run lint`, run by `make lint`): TypeScript rules, the rules of
// hooks, and the layering of src/ (STYLE.md): a feature never imports another feature;
// src/components, src/lib and src/api never import features or routes. Formatting is
// Prettier's (`npm run format`), so no rule here is about layout.
import { readdirSync } from "node:fs";

import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import { defineConfig, globalIgnores } from "eslint/config";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Every folder of src/features/, read when the lint starts: a new feature is fenced in at once. */
const features = readdirSync(new URL("./src/features/", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** The app's composition root: it wires the features together, so nothing below imports it. */
const root = ["./src/app.tsx", "./src/router.tsx", "./src/main.tsx", "./src/live-events.ts"];

const layering = [
  ...features.map((feature) => ({
    target: `./src/features/${feature}`,
    from: "./src/features",
    except: [`./${feature}`],
    message:
      "A feature never imports another feature: share through src/components or src/lib, or compose both in a route.",
  })),
  {
    target: "./src/features",
    from: ["./src/routes", ...root],
    message: "Features never import routes or the app's composition root.",
  },
  ...["./src/components", "./src/lib", "./src/api"].map((target) => ({
    target,
    from: ["./src/features", "./src/routes", ...root],
    message: "Shared code (components, lib, api) never imports features or routes.",
  })),
];

export default defineConfig([
  // The generated client schema is never edited, so never linted.
  globalIgnores(["dist/", "src/api/schema.d.ts"]),
  {
    files: ["**/*.{ts,tsx,js}"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    plugins: { "import-x": importX, "react-hooks": reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    settings: {
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".tsx", ".js", ".json"] })],
    },
    rules: {
      "import-x/no-restricted-paths": ["error", { zones: layering }],
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["eslint.config.js", "vite.config.ts", "scripts/**/*.js"],
    languageOptions: { globals: { ...globals.node } },
  },
  prettier,
]);
