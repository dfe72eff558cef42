/* Promela twin of specs/bench/indexer.mmspec (Flanagan & Godefroid, POPL'05 "indexer"):
 * each thread inserts MAX values w = m*11 + tid into a 128-slot table at (w*7) % 128 with a
 * compare-and-swap (a d_step), probing the next slot on failure. `spin -DT=8` runs threads
 * tid 0..T-1 (scenario n<T>); `-DPAIRS=K` runs the colliding pairs (0,11), (1,12), …
 * (scenario p<K>). The local bookkeeping after a cas is folded into its d_step, as mmcheck
 * fuses it into the cas's step. */
#define SIZE 128
#define MAX 4

byte table[SIZE];

proctype indexer(byte tid) {
  byte m = 1;
  byte w = 11 + tid;
  byte h = ((11 + tid) * 7) % SIZE;
  do
  :: d_step { table[h] == 0 && m < MAX -> table[h] = w; m++; w = m * 11 + tid; h = (w * 7) % SIZE }
  :: d_step { table[h] == 0 && m == MAX -> table[h] = w; m++ }; break
  :: d_step { table[h] != 0 -> h = (h + 1) % SIZE }
  od
}

init {
  byte k = 0;
  atomic {
#ifdef PAIRS
    do
    :: k < PAIRS -> run indexer(k); run indexer(k + 11); k++
    :: else -> break
    od
#else
    do
    :: k < T -> run indexer(k); k++
    :: else -> break
    od
#endif
  }
}
