// The data accesses of one step, logged for the data_race check (data-race.ts) by programs
// compiled with it on: locations with their flags. Reused from step to step.

export const ACC_WRITE = 1;
export const ACC_PLAIN = 2;

export class AccessLog {
  n = 0;
  locs = new Int32Array(32);
  flags = new Uint8Array(32);
  add(loc: number, flags: number): void {
    const n = this.n;
    if (n === this.locs.length) {
      const locs = new Int32Array(n * 2);
      locs.set(this.locs);
      const f = new Uint8Array(n * 2);
      f.set(this.flags);
      this.locs = locs;
      this.flags = f;
    }
    this.locs[n] = loc;
    this.flags[n] = flags;
    this.n = n + 1;
  }
  clear(): void {
    this.n = 0;
  }
}
