/** Numbers for messages, the same on every machine (no locale in the core). */

/** 5000000 → "5,000,000". */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
