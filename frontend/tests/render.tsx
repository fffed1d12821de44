import { createMemoryHistory } from "@tanstack/react-router";
import { render } from "@testing-library/react";

import { App } from "../src/app";
import type { Lang } from "../src/lib/i18n";

export function renderApp(path: string, lang: Lang = "en") {
  const history = createMemoryHistory({ initialEntries: [path] });
  const result = render(<App history={history} lang={lang} />);
  return { ...result, history };
}
