import { createQueryClient } from '../api/queryClient';
import { primeFromEarlyResponses } from './prime';

/** The app's one query cache. */
export const queryClient = createQueryClient();

/**
 * The first screen's answers that public/boot.js asked for go into the cache before the first
 * render, so that screen renders with its data instead of a loading state first. Settles when
 * they are all in (main.tsx holds the first render for it, briefly).
 */
export const firstScreenPrimed = primeFromEarlyResponses(queryClient, window.location.pathname);
