import { describe, expect, it } from 'vitest';
import { LatestWins } from './latestWins.utils';

/** A load per call whose promise the test settles, recording what ran and what was aborted. */
function harness() {
  const runs: { target: number; signal: AbortSignal; resolve: () => void; reject: () => void }[] =
    [];
  const done: [number, boolean][] = [];
  const lw = new LatestWins<number>(
    (target, signal) =>
      new Promise<void>((resolve, reject) => {
        runs.push({ target, signal, resolve, reject: () => reject(new Error('500')) });
      }),
    { onDone: (target, ok) => done.push([target, ok]) },
  );
  const inFlight = () => runs.filter((r) => !r.signal.aborted).length - done.length;
  return { lw, runs, done, inFlight };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('LatestWins', () => {
  it('starts the first target at once', () => {
    const { lw, runs } = harness();
    lw.request(1);
    expect(runs.map((r) => r.target)).toEqual([1]);
    expect(lw.inFlight()).toBe(1);
  });

  it('keeps one load in flight and then loads only the latest of the targets asked meanwhile', async () => {
    const { lw, runs, done, inFlight } = harness();
    lw.request(1);
    for (let t = 2; t <= 30; t += 1) lw.request(t); // a drag: a new position every frame
    expect(runs.map((r) => r.target)).toEqual([1]);
    expect(inFlight()).toBe(1);
    runs[0]?.resolve();
    await tick();
    expect(done).toEqual([[1, true]]);
    expect(runs.map((r) => r.target)).toEqual([1, 30]);
    lw.request(31);
    lw.request(32);
    runs[1]?.resolve();
    await tick();
    expect(runs.map((r) => r.target)).toEqual([1, 30, 32]);
    runs[2]?.resolve();
    await tick();
    expect(lw.busy()).toBe(false);
    expect(done.map(([t]) => t)).toEqual([1, 30, 32]);
  });

  it('goes on with the latest target after a failed load', async () => {
    const { lw, runs, done } = harness();
    lw.request(1);
    lw.request(2);
    runs[0]?.reject();
    await tick();
    expect(done).toEqual([[1, false]]);
    expect(runs.map((r) => r.target)).toEqual([1, 2]);
  });

  it('does not queue the target that is already in flight', async () => {
    const { lw, runs } = harness();
    lw.request(1);
    lw.request(2);
    lw.request(1); // the thumb came back: what is in flight is what is wanted
    runs[0]?.resolve();
    await tick();
    expect(runs.map((r) => r.target)).toEqual([1]);
    expect(lw.busy()).toBe(false);
  });

  it('aborts the load in flight and drops the waiting one, without calling onDone', async () => {
    const { lw, runs, done } = harness();
    lw.request(1);
    lw.request(2);
    lw.abort();
    expect(runs[0]?.signal.aborted).toBe(true);
    expect(lw.busy()).toBe(false);
    runs[0]?.reject(); // the aborted fetch rejects later
    await tick();
    expect(done).toEqual([]);
    expect(runs).toHaveLength(1);
    // A new target starts at once after an abort.
    lw.request(3);
    expect(runs.map((r) => r.target)).toEqual([1, 3]);
  });

  it('lets a load that is still wanted finish when aborting', async () => {
    const { lw, runs, done } = harness();
    lw.request(1);
    lw.request(2);
    lw.abort((t) => t === 1);
    expect(runs[0]?.signal.aborted).toBe(false);
    runs[0]?.resolve();
    await tick();
    expect(done).toEqual([[1, true]]);
    expect(runs).toHaveLength(1); // the waiting target was dropped
  });
});
