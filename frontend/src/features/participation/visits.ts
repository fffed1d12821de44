/**
 * The last visit a participant had made to each space when this page was first loaded:
 * reading the space records the visit, so later reads say "now"; what is new is measured
 * from the first one seen.
 */
const firstSeen = new Map<string, Date | null>();

export function lastVisitBefore(spaceId: string, lastSeenAt: string | null | undefined): Date | null {
  if (!firstSeen.has(spaceId)) firstSeen.set(spaceId, lastSeenAt ? new Date(lastSeenAt) : null);
  return firstSeen.get(spaceId) ?? null;
}
