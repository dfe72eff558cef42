/* Promela twin of specs/bench/philosophers.mmspec, `phil_ordered` (Dijkstra's resource
 * ordering: lower-numbered fork first), one meal each; `spin -DN=6` for scenario ordered6.
 * Forks are bits taken with an atomic test-and-set, blocking while held. */
#ifndef N
#define N 5
#endif

bit forks[N];
byte eaten[N];

proctype phil(byte i) {
  byte first = ((i + 1) % N < i -> (i + 1) % N : i);
  byte second = ((i + 1) % N < i -> i : (i + 1) % N);
  atomic { forks[first] == 0 -> forks[first] = 1 };
  atomic { forks[second] == 0 -> forks[second] = 1 };
  eaten[i] = eaten[i] + 1;
  forks[second] = 0;
  forks[first] = 0
}

init {
  byte k = 0;
  atomic {
    do
    :: k < N -> run phil(k); k++
    :: else -> break
    od
  }
}
