/** The one error type every API call rejects with. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;
  readonly details: Record<string, unknown>;
  /** Seconds from a `Retry-After` header (429), when the server sent one. */
  readonly retryAfterSeconds: number | null;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    requestId?: string | null;
    details?: Record<string, unknown>;
    retryAfterSeconds?: number | null;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId ?? null;
    this.details = init.details ?? {};
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

const FALLBACK_MESSAGES: Record<number, string> = {
  400: 'The request was not valid.',
  401: 'Your session has expired. Please sign in again.',
  403: 'You do not have permission to do that.',
  404: 'Not found.',
  409: 'That conflicts with existing data.',
  413: 'The file is too large.',
  415: 'This file format is not supported.',
  422: 'The request was not valid.',
  429: 'Too many requests. Please wait a moment.',
  500: 'The server hit an unexpected error.',
  502: 'The server is unreachable.',
  503: 'The service is temporarily unavailable.',
};

const FALLBACK_CODES: Record<number, string> = {
  400: 'VALIDATION_ERROR',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_FORMAT',
  422: 'VALIDATION_ERROR',
  429: 'RATE_LIMITED',
};

export function fallbackMessage(status: number): string {
  return FALLBACK_MESSAGES[status] ?? `The server answered with status ${status}.`;
}

/** Parses `Retry-After` as delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (value == null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * Builds an ApiError from a status, raw body text and headers. The body should be the
 * envelope `{"error":{"code","message","details"}}`; anything else (HTML from a proxy,
 * empty body) falls back to a message derived from the status.
 */
export function errorFromResponseParts(
  status: number,
  bodyText: string,
  getHeader: (name: string) => string | null | undefined,
): ApiError {
  let code = FALLBACK_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'HTTP_ERROR');
  let message = fallbackMessage(status);
  let details: Record<string, unknown> = {};
  if (bodyText) {
    try {
      const parsed: unknown = JSON.parse(bodyText);
      const env = (parsed as { error?: unknown } | null)?.error;
      if (env && typeof env === 'object') {
        const e = env as { code?: unknown; message?: unknown; details?: unknown };
        if (typeof e.code === 'string' && e.code) code = e.code;
        if (typeof e.message === 'string' && e.message) message = e.message;
        if (e.details && typeof e.details === 'object')
          details = e.details as Record<string, unknown>;
      }
    } catch {
      // Not JSON: keep the status-derived message.
    }
  }
  return new ApiError({
    status,
    code,
    message,
    details,
    requestId: getHeader('X-Request-Id') ?? null,
    retryAfterSeconds: parseRetryAfter(getHeader('Retry-After')),
  });
}

export async function errorFromResponse(response: Response): Promise<ApiError> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    text = '';
  }
  return errorFromResponseParts(response.status, text, (n) => response.headers.get(n));
}

export function networkError(cause: unknown): ApiError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new ApiError({
    status: 0,
    code: 'NETWORK_ERROR',
    message: 'Cannot reach the DataMorph server. Check your connection and try again.',
    details: { cause: detail },
  });
}

/** The text to show a person for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
