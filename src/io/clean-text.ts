// Text that comes from a file (a spec, a trace), made safe to print: here, below every
// layer, because the compiler's diagnostics show source lines as well as the reporters do.

/**
 * Text from a file made safe for a terminal: C0 controls (but `\n` where `newline` is true),
 * DEL and C1 controls are shown as `\xNN` escapes, so nothing in a file can drive the
 * terminal and tampering stays visible.
 */
export function cleanText(s: string, newline = false): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x7f && (c < 0x80 || c > 0x9f)) continue;
    if (c === 0x0a && newline) continue;
    out += `${s.slice(start, i)}\\x${c.toString(16).padStart(2, '0')}`;
    start = i + 1;
  }
  return start === 0 ? s : out + s.slice(start);
}
