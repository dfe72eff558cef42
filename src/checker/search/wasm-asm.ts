// A few bytes of WebAssembly 1.0 for modules assembled in TypeScript from their opcodes
// (canon-wasm.ts; xxh64-wasm.ts takes its LEB128 and sections): the opcodes it uses,
// LEB128, and a code buffer whose blocks are named, so that a branch says where it goes and
// its depth is counted here.

export const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  return: 0x0f,
  void: 0x40,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  i32Load: 0x28,
  i64Load: 0x29,
  i32Store: 0x36,
  i64Store: 0x37,
  i32Const: 0x41,
  i64Const: 0x42,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32LtU: 0x49,
  i32GtS: 0x4a,
  i32GtU: 0x4b,
  i32LeS: 0x4c,
  i32GeU: 0x4f,
  i64Ne: 0x52,
  i64LtS: 0x53,
  i32Clz: 0x67,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32And: 0x71,
  i32Or: 0x72,
  i32Xor: 0x73,
  i32Shl: 0x74,
  i64Xor: 0x85,
  i64Rotl: 0x89,
} as const;

/** memory.copy (bulk memory) of memory 0 to itself: dst, src, length on the stack. */
export const MEMORY_COPY = [0xfc, 0x0a, 0x00, 0x00];

/** Signed LEB128 of a 64-bit pattern (read as two's complement). */
export function sleb(value: bigint): number[] {
  let v = BigInt.asIntN(64, value);
  const out: number[] = [];
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** Unsigned LEB128 for sizes (sleb of a small non-negative number can differ: 64..127). */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** A module section: id, size, content. */
export const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];

/** A function body's code, written in order; blocks, loops and ifs carry a name for br. */
export class Code {
  readonly bytes: number[] = [];
  private readonly labels: string[] = [];

  op(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }
  get(local: number): this {
    return this.op(OP.get, local);
  }
  set(local: number): this {
    return this.op(OP.set, local);
  }
  i32(value: number): this {
    return this.op(OP.i32Const, ...sleb(BigInt(value)));
  }
  i64(value: bigint): this {
    return this.op(OP.i64Const, ...sleb(value));
  }
  /** A load or store at the address on the stack plus `offset` (alignment hint 0: any address). */
  mem(op: number, offset = 0): this {
    return this.op(op, 0, ...uleb(offset));
  }
  /** i32 at the address in `local` plus `offset`. */
  load(local: number, offset = 0): this {
    return this.get(local).mem(OP.i32Load, offset);
  }
  block(name: string, body: () => void): this {
    return this.nest(OP.block, name, body);
  }
  loop(name: string, body: () => void): this {
    return this.nest(OP.loop, name, body);
  }
  /** if (the i32 on the stack) body; named for a br out of it. */
  if(name: string, body: () => void): this {
    return this.nest(OP.if, name, body);
  }
  br(name: string): this {
    return this.op(OP.br, this.depth(name));
  }
  brIf(name: string): this {
    return this.op(OP.brIf, this.depth(name));
  }

  private nest(opcode: number, name: string, body: () => void): this {
    this.op(opcode, OP.void);
    this.labels.push(name);
    body();
    this.labels.pop();
    return this.op(OP.end);
  }
  private depth(name: string): number {
    const at = this.labels.lastIndexOf(name);
    if (at < 0) throw new Error(`wasm-asm: no enclosing block ${name}`);
    return this.labels.length - 1 - at;
  }
}
