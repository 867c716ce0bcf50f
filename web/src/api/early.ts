/**
 * Responses to GET requests that public/boot.js started before the app's JavaScript had
 * loaded (the first screen's session, project list, dataset record and first page of
 * rows). Each is taken once, by the first request for the same URL, while fresh.
 */

interface Early {
  at: number;
  responses: Record<string, Promise<Response> | undefined>;
}

declare global {
  interface Window {
    __dmEarly?: Early;
  }
}

/** Older than this, a response is not used (the app may have moved on). */
const FRESH_MS = 15_000;

/** The early response for `url` if there is one: at most once per URL. */
export function takeEarlyResponse(url: string): Promise<Response> | null {
  if (typeof window === 'undefined') return null;
  const early = window.__dmEarly;
  if (!early) return null;
  const response = early.responses[url];
  if (!response) return null;
  delete early.responses[url];
  if (Date.now() - early.at > FRESH_MS) return null;
  return response;
}

/** Drops whatever was not taken (after signing in or out: it was for someone else). */
export function forgetEarlyResponses(): void {
  if (typeof window !== 'undefined') delete window.__dmEarly;
}

/**
 * The parsed JSON of the early answer for `url` when it is a 2xx, else null; read from a copy,
 * so the response is still there for takeEarlyResponse. Null when there is no fresh one.
 */
export function peekEarlyJson(url: string): Promise<unknown> | null {
  if (typeof window === 'undefined') return null;
  const early = window.__dmEarly;
  const response = early?.responses[url];
  if (!early || !response || Date.now() - early.at > FRESH_MS) return null;
  return response
    .then((r) => (r.ok && r.status !== 204 ? (r.clone().json() as Promise<unknown>) : null))
    .catch(() => null);
}
