import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, vi } from "vitest";

import { clearAccessToken } from "../src/lib/session";

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
