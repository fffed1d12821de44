/**
 * What the page shows while the app starts: the name and a neutral spinner. index.html
 * carries the same markup, so it shows before any JavaScript has run (styled by the app's
 * stylesheet: the Content-Security-Policy forbids inline styles); React renders this in
 * its place until the first screen is ready, so nothing jumps or goes blank in between.
 * Before a language's catalog has arrived, the spoken label is in both languages.
 */
export function BootShell({ label }: { label?: string }) {
  return (
    <div className="boot" role="status">
      <p className="boot__name">Causerie</p>
      <span className="boot__spinner" aria-hidden="true" />
      <span className="visually-hidden">
        {label ?? (
          <>
            Loading… <span lang="fr">Chargement…</span>
          </>
        )}
      </span>
    </div>
  );
}
