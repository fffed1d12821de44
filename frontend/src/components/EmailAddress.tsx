/**
 * An e-mail address that a narrow column may wrap only before its "@", never inside the
 * name or the domain ("dominique.martin@" / "maison-lumiere.example.com" rather than
 * "dominique.mar" / "tin@…").
 */
export function EmailAddress({ email, className }: { email: string; className?: string }) {
  const at = email.lastIndexOf("@");
  const classes = className ? `email-address ${className}` : "email-address";
  if (at <= 0) return <span className={classes}>{email}</span>;
  return (
    <span className={classes}>
      <span>{email.slice(0, at)}</span>
      <wbr />
      <span>{email.slice(at)}</span>
    </span>
  );
}
