/**
 * The staff session: the access token lives in memory only (never in storage).
 * The refresh token is an httpOnly cookie the browser sends to /api/v1/auth.
 */
type Listener = () => void;

let accessToken: string | null = null;
const listeners = new Set<Listener>();

function emit(): void {
  for (const listener of listeners) listener();
}

export function getAccessToken(): string | null {
  return accessToken;
}

export function setAccessToken(token: string): void {
  accessToken = token;
  emit();
}

export function clearAccessToken(): void {
  if (accessToken === null) return;
  accessToken = null;
  emit();
}

export function subscribeSession(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
