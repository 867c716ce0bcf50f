import type { Job } from '../types';
import { API_BASE } from '../client';

/**
 * One shared WebSocket to /api/v1/ws for job progress. Subscribers send
 * {"subscribe":"job:<id>"} and get job objects; when the socket cannot open or drops,
 * `onLive(false)` tells callers to fall back to polling. Reconnects with backoff while
 * anyone is subscribed.
 */

type JobListener = (job: Job) => void;
type LiveListener = (live: boolean) => void;

const listeners = new Map<string, Set<JobListener>>();
const liveListeners = new Set<LiveListener>();
let socket: WebSocket | null = null;
let open = false;
let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
let failures = 0;

export function wsUrl(loc: Pick<Location, 'protocol' | 'host'> = window.location): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}${API_BASE}/ws`;
}

/** Reads a job object out of a socket message, tolerating `{job:{...}}` wrapping. */
export function parseJobMessage(data: unknown): Job | null {
  if (typeof data !== 'string') return null;
  try {
    const parsed = JSON.parse(data) as Record<string, unknown>;
    const candidate = (parsed.job && typeof parsed.job === 'object' ? parsed.job : parsed) as
      Partial<Job> | undefined;
    if (candidate && typeof candidate.id === 'string' && typeof candidate.status === 'string') {
      return { progress: 0, ...candidate } as Job;
    }
  } catch {
    // ignore non-JSON frames
  }
  return null;
}

function setOpen(value: boolean) {
  open = value;
  liveListeners.forEach((l) => l(value));
}

function sendSubscribe(id: string) {
  if (socket && open) socket.send(JSON.stringify({ subscribe: `job:${id}` }));
}

function connect() {
  if (socket || typeof WebSocket === 'undefined') return;
  let ws: WebSocket;
  try {
    ws = new WebSocket(wsUrl());
  } catch {
    scheduleReconnect();
    return;
  }
  socket = ws;
  ws.onopen = () => {
    failures = 0;
    setOpen(true);
    listeners.forEach((_, id) => sendSubscribe(id));
  };
  ws.onmessage = (ev) => {
    const job = parseJobMessage(ev.data);
    if (job) listeners.get(job.id)?.forEach((l) => l(job));
  };
  ws.onclose = () => {
    socket = null;
    setOpen(false);
    scheduleReconnect();
  };
  ws.onerror = () => {
    // onclose follows and handles the fallback.
  };
}

function scheduleReconnect() {
  if (reconnectTimer || listeners.size === 0) return;
  failures += 1;
  const delay = Math.min(1000 * 2 ** failures, 30_000);
  reconnectTimer = setTimeout(() => {
    reconnectTimer = null;
    if (listeners.size > 0) connect();
  }, delay);
}

export function subscribeJob(id: string, onJob: JobListener, onLive: LiveListener): () => void {
  let set = listeners.get(id);
  if (!set) {
    set = new Set();
    listeners.set(id, set);
  }
  set.add(onJob);
  liveListeners.add(onLive);
  onLive(open);
  if (open) sendSubscribe(id);
  else connect();
  return () => {
    const s = listeners.get(id);
    s?.delete(onJob);
    if (s && s.size === 0) listeners.delete(id);
    liveListeners.delete(onLive);
    if (listeners.size === 0 && socket) {
      socket.onclose = null;
      socket.close();
      socket = null;
      setOpen(false);
    }
  };
}
