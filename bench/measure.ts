// What the benchmarks share: a seeded generator, percentiles, a rate loop, and how a rate prints.
import { performance } from "node:perf_hooks";

/** mulberry32: a small seeded generator, so a run can be repeated with the same numbers. */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The value at percentile `p` (0–100) of `values`: nearest rank, from below. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * Runs `step` synchronously for about `seconds`, after 300 ms of warm-up, reading the clock every
 * 16 calls; returns calls per second and how many calls were timed.
 */
export function rate(
  seconds: number,
  step: (i: number) => void,
): { perSecond: number; calls: number } {
  const warmUntil = performance.now() + 300;
  let i = 0;
  while (performance.now() < warmUntil) step(i++);
  let calls = 0;
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  let now = t0;
  while (now < deadline) {
    for (let k = 0; k < 16; k++) step(calls++);
    now = performance.now();
  }
  return { perSecond: calls / ((now - t0) / 1000), calls };
}

/** A rate as the benchmarks print it: "12,345 /s". */
export function formatRate(value: number): string {
  return `${Math.round(value).toLocaleString("en-US")} /s`;
}
