/* Promela twin of specs/bench/counters.mmspec, scenario `huge` (5 workers x 2 rounds),
 * for the side-by-side benchmark (bench/peers.ts). Thread-local statements are folded into
 * d_step blocks so that SPIN's steps match mmcheck's (one shared access per step). */
bit lock = 0;
byte locked = 0;
byte racy = 0;

proctype worker() {
  byte r;
  byte i = 0;
  do
  :: atomic { lock == 0 -> lock = 1 };
     locked = locked + 1;
     lock = 0;
     r = racy;
     d_step { racy = r + 1; i = i + 1 };
     if
     :: i >= 2 -> break
     :: else -> skip
     fi
  od
}

init {
  atomic { run worker(); run worker(); run worker(); run worker(); run worker() }
}
