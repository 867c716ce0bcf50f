import { takeEarlyResponse } from './early';
import { ApiError, errorFromResponse, networkError } from './errors';

/**
 * The HTTP client every API fetcher goes through. Same-origin cookies carry the session
 * (httpOnly `dm_access` / `dm_refresh`); the SPA never sees a token. On a 401 from any
 * non-auth endpoint it refreshes once (concurrent 401s share one refresh) and retries.
 */

export const API_BASE = '/api/v1';

type FetchFn = typeof fetch;

let fetchImpl: FetchFn = (...args) => fetch(...args);
let refreshInFlight: Promise<boolean> | null = null;
let onUnauthenticated: (() => void) | null = null;

/** For tests: swap the transport. */
export function setFetchImplementation(fn: FetchFn): void {
  fetchImpl = fn;
}

/** Called once a refresh has failed: the app sends the person to sign-in. */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

/** Endpoints where a 401 is an answer, not an expired session. */
export function isAuthEndpoint(path: string): boolean {
  return /^\/auth\/(login|register|refresh|logout)\b/.test(path);
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  signal?: AbortSignal;
  /** Skip the refresh-and-retry dance (used by auth/me probing on sign-in pages). */
  noRefresh?: boolean;
}

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  let url = `${API_BASE}${path}`;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    }
    const qs = params.toString();
    if (qs) url += `?${qs}`;
  }
  return url;
}

/** POST /auth/refresh, deduplicated: all callers waiting at once share one request. */
export function refreshSession(): Promise<boolean> {
  if (!refreshInFlight) {
    refreshInFlight = fetchImpl(`${API_BASE}/auth/refresh`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: '{}',
    })
      .then((r) => r.ok)
      .catch(() => false)
      .finally(() => {
        refreshInFlight = null;
      });
  }
  return refreshInFlight;
}

async function send(path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  } else if (opts.method && opts.method !== 'GET') {
    // Every JSON request declares its type, even an empty one.
    headers['Content-Type'] = 'application/json';
  }
  const url = buildUrl(path, opts.query);
  if ((opts.method ?? 'GET') === 'GET') {
    // Started by public/boot.js while the app loaded; anything but a 2xx is asked again.
    const early = takeEarlyResponse(url);
    const response = early ? await early.catch(() => null) : null;
    if (response?.ok) return response;
  }
  try {
    return await fetchImpl(url, {
      method: opts.method ?? 'GET',
      credentials: 'same-origin',
      headers,
      body,
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw networkError(e);
  }
}

/** Sends a request and returns the raw Response when it is 2xx, else throws ApiError. */
export async function apiRaw(path: string, opts: RequestOptions = {}): Promise<Response> {
  let response = await send(path, opts);
  if (response.status === 401 && !opts.noRefresh && !isAuthEndpoint(path)) {
    const refreshed = await refreshSession();
    if (refreshed) {
      response = await send(path, opts);
    }
    if (response.status === 401) {
      const err = await errorFromResponse(response);
      onUnauthenticated?.();
      throw err;
    }
  }
  if (!response.ok) throw await errorFromResponse(response);
  return response;
}

/** Sends a request and parses the JSON answer (undefined for 204). */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const response = await apiRaw(path, opts);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError({
      status: response.status,
      code: 'BAD_RESPONSE',
      message: 'The server sent an answer the app could not read.',
      requestId: response.headers.get('X-Request-Id'),
    });
  }
}
