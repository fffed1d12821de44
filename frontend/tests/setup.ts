import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach, vi } from "vitest";

import { loadCatalog, loadStudioWords } from "../src/lib/i18n";
import { clearAccessToken } from "../src/lib/session";

// Screens are fetched lazily (one chunk per route, transformed on first use here): on a
// busy two-core machine the first render of a route can take longer than the 1 s default.
configure({ asyncUtilTimeout: 5_000 });

// The app fetches a language's catalog when it is first shown; the tests have both at hand.
await Promise.all([loadCatalog("en"), loadCatalog("fr")]);
await loadStudioWords();

afterEach(() => {
  cleanup();
  localStorage.clear();
  document.documentElement.lang = "";
});

afterEach(() => {
  clearAccessToken();
  vi.unstubAllGlobals();
});

// jsdom has no layout: the router's scroll restoration only needs this to exist.
window.scrollTo = () => {};
