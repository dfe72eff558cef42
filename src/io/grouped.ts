// Numbers with thousands separators, as every report prints them ("1,234,567"). Not
// `toLocaleString('en-US')`: its first call on a thread loads ICU's number formatting, about
// 80 ms of every command's start-up (twice for explore: the main thread and the search's),
// and each later call costs ~0.2 ms; this is a comma every three digits. Non-integers (none
// in the reports today) keep toLocaleString's rounding.
export function grouped(n: number): string {
  if (!Number.isSafeInteger(n)) return Number.isFinite(n) ? n.toLocaleString('en-US') : String(n);
  const digits = String(Math.abs(n));
  let out = '';
  for (let end = digits.length; end > 0; end -= 3) {
    const part = digits.slice(Math.max(0, end - 3), end);
    out = out === '' ? part : `${part},${out}`;
  }
  return n < 0 ? `-${out}` : out;
}

/** `n word` with the word's plural unless n is 1: "1 state", "2 states", "1,234 states". */
export function plural(n: number, word: string): string {
  return `${grouped(n)} ${word}${n === 1 ? '' : 's'}`;
}
