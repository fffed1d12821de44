import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./app";
import { initialLanguage, loadCatalog } from "./lib/i18n";
import "./styles/tokens.css";
import "./styles/app.css";
import "./styles/boot.css";

// Fetch the language's catalog now, alongside the first screen's code, not after it.
void loadCatalog(initialLanguage()).catch(() => undefined);

const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
