import { vi } from 'vitest';

export interface MockRequest {
  method: string;
  url: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  credentials: RequestCredentials | undefined;
  signal: AbortSignal | undefined;
}

export type MockHandler = (req: MockRequest) => Response | Promise<Response>;

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function apiError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  return json(status, { error: { code, message, details: {} } }, headers);
}

/** A tiny fetch stand-in: records every request and answers from a handler. */
export function mockFetch(handler: MockHandler) {
  const calls: MockRequest[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => {
      headers[k] = v;
    });
    let body: unknown = undefined;
    if (typeof init?.body === 'string') {
      try {
        body = JSON.parse(init.body);
      } catch {
        body = init.body;
      }
    }
    const req: MockRequest = {
      method: init?.method ?? 'GET',
      url,
      path: url.split('?')[0] ?? url,
      headers,
      body,
      credentials: init?.credentials,
      signal: init?.signal ?? undefined,
    };
    calls.push(req);
    return handler(req);
  });
  return { fn: fn as unknown as typeof fetch, calls };
}
