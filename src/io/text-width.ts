// How many terminal columns a text takes: a wide CJK character or an emoji two, a combining mark
// none. The tables are string-width's (maintained with Unicode), not ours. It is loaded on the
// first text that is not plain ASCII, not with the module: loading it builds an Intl.Segmenter
// (~40 ms of CPU) and its first wide text compiles its emoji pattern (~90 ms), which every
// command's start would pay for a caret under a rare line. An ES module, it is required
// (node 20.19 and later load one synchronously); an older node counts code points instead.
import { createRequire } from 'node:module';

type Width = (text: string) => number;

let width: Width | undefined;

/** The columns `text` takes in a terminal (a text without tabs or control characters). */
export function terminalWidth(text: string): number {
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  width ??= loadStringWidth();
  return width(text);
}

function loadStringWidth(): Width {
  try {
    return (createRequire(import.meta.url)('string-width') as { default: Width }).default;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw e;
    return (text) => [...text].length;
  }
}
