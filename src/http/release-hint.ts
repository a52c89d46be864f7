// Cache lifetimes cut at the next embargo: site-wide and on coarse step boundaries, so a header never says which feed
// the next embargoed article is in, nor the second it comes out.
//
// A lifetime counted down to one feed's next article told anyone who compared feeds its section, tags and authors, and
// its publication second (now + max-age). The rule here reads only the site-wide next release, and moves it down to the
// step boundary at or before it (epoch-aligned, not relative to now): every response cut by it expires on that
// boundary, so however often and from wherever it is polled, the headers reveal the release's step and nothing finer,
// while no cache serves anything past the release.

/** The step, in seconds: caches expire up to this much before a release, and a release is known only to this step. */
export const RELEASE_STEP_SECONDS = 60;

/** Lifetimes of a response, in whole seconds (RFC 9111 §5.2.2 max-age and s-maxage; RFC 5861 stale-while-revalidate). */
export interface Lifetimes {
  maxAge: number;
  sMaxAge: number;
  staleWhileRevalidate: number;
}

/**
 * The boundary at or before `release` on a grid of `step` seconds counted from the Unix epoch: the instant the
 * responses cut by `capLifetimesAtRelease` expire, and all they reveal about the release.
 */
export function releaseBoundary(release: Date, step = RELEASE_STEP_SECONDS): Date {
  if (!Number.isInteger(step) || step < 1) throw new RangeError(`step must be a whole number of seconds ≥ 1, got ${step}`);
  const stepMs = step * 1000;
  return new Date(Math.floor(release.getTime() / stepMs) * stepMs);
}

/**
 * The configured lifetimes, each cut so that no cache may serve the response, fresh or stale, past the boundary before
 * the site's next release (`releaseBoundary`). `siteNextRelease` must be the next release of the whole site (every
 * embargoed article, in any feed), never one feed's: undefined when nothing is embargoed, which leaves the lifetimes as
 * configured. Depends on the release only through its boundary.
 */
export function capLifetimesAtRelease(
  lifetimes: Lifetimes,
  siteNextRelease: Date | undefined,
  now: Date,
  step = RELEASE_STEP_SECONDS,
): Lifetimes {
  if (!siteNextRelease) return { ...lifetimes };
  const until = Math.max(0, Math.floor((releaseBoundary(siteNextRelease, step).getTime() - now.getTime()) / 1000));
  const maxAge = Math.min(lifetimes.maxAge, until);
  const sMaxAge = Math.min(lifetimes.sMaxAge, until);
  const staleWhileRevalidate = Math.min(lifetimes.staleWhileRevalidate, Math.max(0, until - Math.max(maxAge, sMaxAge)));
  return { maxAge, sMaxAge, staleWhileRevalidate };
}
