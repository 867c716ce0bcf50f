/**
 * Runs asynchronous loads one at a time, always for the latest target: while one is in
 * flight, newer targets wait in a single slot (each replacing the one before), and the slot
 * starts when the load in flight ends. A scrollbar drag asks for the rows under the thumb
 * every frame; this keeps one request on its way (the server never sees more than one at a
 * time from it), and when it lands the next one is for wherever the thumb is by then, not
 * for every position it went through.
 */
export class LatestWins<T> {
  private current: { target: T; controller: AbortController } | null = null;
  private queued: { target: T } | null = null;

  constructor(
    private readonly run: (target: T, signal: AbortSignal) => Promise<unknown>,
    private readonly options: {
      /** Targets that are the same load (not started twice in a row). */
      same?: (a: T, b: T) => boolean;
      /** Called after a load that was not aborted ended, resolved or rejected. */
      onDone?: (target: T, ok: boolean) => void;
    } = {},
  ) {}

  /** Loads `target` now if nothing is in flight, else after it (replacing any waiting one). */
  request(target: T): void {
    const same = this.options.same ?? Object.is;
    if (this.current) {
      if (same(this.current.target, target)) this.queued = null;
      else this.queued = { target };
      return;
    }
    this.start(target);
  }

  /** The target of the load in flight, if any. */
  inFlight(): T | null {
    return this.current?.target ?? null;
  }

  /** Whether a load is in flight or waiting. */
  busy(): boolean {
    return this.current !== null || this.queued !== null;
  }

  /**
   * Drops the waiting target and aborts the load in flight — unless `keep` says it is still
   * wanted (then it finishes; its onDone still runs).
   */
  abort(keep?: (target: T) => boolean): void {
    this.queued = null;
    const c = this.current;
    if (!c || keep?.(c.target)) return;
    this.current = null;
    c.controller.abort();
  }

  private start(target: T): void {
    const controller = new AbortController();
    const entry = { target, controller };
    this.current = entry;
    const end = (ok: boolean) => {
      if (this.current !== entry) return; // aborted: a newer load owns the slot
      this.current = null;
      this.options.onDone?.(target, ok);
      const next = this.queued;
      this.queued = null;
      if (next && !this.current) this.start(next.target);
    };
    let promise: Promise<unknown>;
    try {
      promise = this.run(target, controller.signal);
    } catch {
      promise = Promise.reject(new Error('load failed to start'));
    }
    promise.then(
      () => end(true),
      () => end(false),
    );
  }
}
