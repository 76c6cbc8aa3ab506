/** A deterministic pseudo-random source, so that a failing run can be repeated from its seed. */
export function seededRandom(seed: number): {
  next: () => number;
  pick: <T>(items: readonly T[]) => T;
} {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T };
}
