// Who may see drafts and embargoed articles in /preview: the PREVIEW_TOKEN in an `Authorization: Bearer` header, or a
// short-lived signed cookie an editor's browser gets by posting the token to the sign-in form at /preview.
//
// Never from the query string: a URL ends up in browser history, proxy and CDN logs and Referer headers. The cookie
// holds no secret, only its expiry time signed with HMAC-SHA256 keyed by PREVIEW_TOKEN (Hono's signed cookies; the
// signature is checked with WebCrypto's verify, which compares in constant time), so rotating the token signs every
// editor out. It is HttpOnly, SameSite=Strict, Path=/preview, Secure over https, and lives at most an hour.
import type { Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getSignedCookie, setSignedCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { timingSafeEqual } from "hono/utils/buffer";
import type { SiteSettings } from "../core/settings.ts";
import { formatSiteTime } from "./article-pages.ts";
import type { AppContext } from "./context.ts";
import { NotFoundError } from "./errors.ts";
import { html, page } from "./html.ts";

/** The sign-in form's path, and the cookie's: the cookie is sent to /preview and /preview/{slug} only. */
export const PREVIEW_PATH = "/preview";
export const PREVIEW_COOKIE = "edge_feeds_preview";
/** How long a sign-in lasts, in seconds. */
export const PREVIEW_SESSION_SECONDS = 3600;
/** Largest sign-in form body read, in bytes: a token, a slug and an action fit many times over. */
const FORM_MAX_BYTES = 4096;

/** `unlocked`: the token or a live session was presented; `locked`: neither; `refused`: a wrong token was presented. */
export type PreviewAccess = "unlocked" | "locked" | "refused";

/**
 * What a /preview request may see. A bearer token decides when present (a wrong one, or one when no token is set, is
 * `refused`); otherwise a valid, unexpired session cookie unlocks; anything else, `?token=` included, is `locked`.
 */
export async function checkPreviewAccess(c: Context, site: SiteSettings, now: Date): Promise<PreviewAccess> {
  const bearer = readBearer(c);
  if (bearer !== undefined)
    return site.previewToken !== undefined && (await sameSecret(bearer, site.previewToken)) ? "unlocked" : "refused";
  return (await sessionExpiry(c, site, now)) !== undefined ? "unlocked" : "locked";
}

/** The token of an `Authorization: Bearer …` header; undefined when there is no such header (or another scheme). */
function readBearer(c: Context): string | undefined {
  const auth = c.req.header("Authorization");
  return auth ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(auth)?.[1] : undefined;
}

/**
 * Hono's comparison (hono/utils/buffer, as hono/bearer-auth uses for the publish token): both sides hashed with
 * SHA-256 and the digests and the strings compared without an early exit, so the time taken does not tell how much of
 * a guess matched.
 */
function sameSecret(presented: string, secret: string): Promise<boolean> {
  return timingSafeEqual(presented, secret);
}

/** The expiry of the request's session cookie, if it is signed with the current token and has not expired at `now`. */
async function sessionExpiry(c: Context, site: SiteSettings, now: Date): Promise<Date | undefined> {
  if (site.previewToken === undefined) return undefined;
  const value = await getSignedCookie(c, site.previewToken, PREVIEW_COOKIE);
  if (typeof value !== "string" || !/^[0-9]{1,12}$/.test(value)) return undefined;
  const expires = Number(value) * 1000;
  // The upper bound guards against a session signed by a clock far ahead, or with a longer lifetime than today's.
  if (expires <= now.getTime() || expires > now.getTime() + PREVIEW_SESSION_SECONDS * 1000) return undefined;
  return new Date(expires);
}

/** Headers of the sign-in page and its answers: never cached, never indexed, never framed, no Referer. */
const SIGN_IN_HEADERS = {
  "Cache-Control": "no-store",
  "Content-Security-Policy": "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "X-Robots-Tag": "noindex",
  "Referrer-Policy": "no-referrer",
};

/** A slug worth redirecting to after sign-in (the form's optional field); anything else goes back to the form. */
function safeSlug(value: string | null): string | undefined {
  return value && /^[\p{L}\p{N}_-]{1,200}$/u.test(value) ? value : undefined;
}

function renderSignIn(site: SiteSettings, options: { expires?: Date; slug?: string; message?: string }): string {
  const { expires, slug, message } = options;
  return page({
    siteUrl: site.url,
    lang: site.language,
    title: `Preview sign-in – ${site.title}`,
    head: html`<meta name="robots" content="noindex">`,
    body: html`<h1>Preview drafts and embargoed articles</h1>
${message ? html`<p class="warn" role="alert">${message}</p>` : ""}${
  expires
    ? html`<p>Signed in until ${formatSiteTime(expires, site, site.language)}. Open <code>/preview/{slug}</code> for any article.</p>
<form method="post"><input type="hidden" name="action" value="sign-out"><button type="submit">Sign out</button></form>`
    : html`<form method="post">
<p><label>Preview token <input type="password" name="token" required autocomplete="current-password"></label></p>
<p><label>Article slug (optional) <input type="text" name="slug" value="${slug ?? ""}" autocomplete="off"></label></p>
<p><button type="submit">Sign in for ${PREVIEW_SESSION_SECONDS / 60} minutes</button></p>
</form>`
}`,
  });
}

/**
 * GET /preview: the sign-in form (or, signed in, when the session ends and a sign-out button). POST /preview: checks the
 * token and sets the session cookie, then redirects (303) to `/preview/{slug}` or back to the form; `action=sign-out`
 * clears it. Without PREVIEW_TOKEN the page does not exist.
 */
export function registerPreviewSignIn(app: Hono, ctx: AppContext): void {
  const { site } = ctx;
  app.get(PREVIEW_PATH, async (c) => {
    if (site.previewToken === undefined) throw new NotFoundError(c.req.path);
    const expires = await sessionExpiry(c, site, ctx.now());
    return c.html(renderSignIn(site, { expires, slug: safeSlug(c.req.query("slug") ?? null) }), 200, SIGN_IN_HEADERS);
  });

  const refuse = (c: Context, status: 400 | 403 | 413 | 415, message: string) =>
    c.html(renderSignIn(site, { message }), status, SIGN_IN_HEADERS);
  // What is checked before the form is read: the page is on, the post comes from this site, and it is a form.
  const signInChecks = createMiddleware(async (c, next) => {
    if (site.previewToken === undefined) throw new NotFoundError(c.req.path);
    // Only this site's own pages post here (a cross-site post could at most sign an editor out; refuse it all the same).
    const origin = c.req.header("Origin");
    if (origin !== undefined && origin !== new URL(c.req.url).origin && origin !== new URL(site.url).origin) {
      return refuse(c, 403, "Sign in from this site's own preview page.");
    }
    if (!/^application\/x-www-form-urlencoded\b/i.test(c.req.header("Content-Type") ?? "")) return refuse(c, 415, "Send the form.");
    await next();
  });
  // hono/body-limit: a declared length over FORM_MAX_BYTES is refused unread, a streamed body at the first chunk past it.
  const formLimit = bodyLimit({ maxSize: FORM_MAX_BYTES, onError: (c) => refuse(c, 413, "The form is too large.") });

  app.post(PREVIEW_PATH, signInChecks, formLimit, async (c) => {
    if (site.previewToken === undefined) throw new NotFoundError(c.req.path);
    const bytes = await c.req.arrayBuffer();
    const form = new URLSearchParams(new TextDecoder().decode(bytes));
    const secure = new URL(c.req.url).protocol === "https:";
    const cookie = { httpOnly: true, secure, sameSite: "Strict", path: PREVIEW_PATH } as const;

    if (form.get("action") === "sign-out") {
      await setSignedCookie(c, PREVIEW_COOKIE, "0", site.previewToken, { ...cookie, maxAge: 0 });
      return c.body(null, 303, { ...SIGN_IN_HEADERS, Location: "preview" });
    }
    const token = form.get("token") ?? "";
    if (!(await sameSecret(token, site.previewToken))) return refuse(c, 403, "That is not the preview token.");
    const expires = Math.floor(ctx.now().getTime() / 1000) + PREVIEW_SESSION_SECONDS;
    await setSignedCookie(c, PREVIEW_COOKIE, String(expires), site.previewToken, { ...cookie, maxAge: PREVIEW_SESSION_SECONDS });
    // Relative, so the redirect stays under whatever base path the service is mounted at.
    const slug = safeSlug(form.get("slug"));
    return c.body(null, 303, { ...SIGN_IN_HEADERS, Location: slug ? `preview/${encodeURIComponent(slug)}` : "preview" });
  });
}
