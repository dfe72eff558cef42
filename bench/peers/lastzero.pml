/* Promela twin of specs/bench/lastzero.mmspec (Abdulla et al., POPL'14 "lastzero"):
 * N writers and one reader over array[0..N]; `spin -DN=7` for scenario n7. Writer j loads
 * array[j-1] and stores it + 1 into array[j] (two steps); the reader scans down for the last
 * zero, the test and the decrement in one step as mmcheck fuses them. */
#ifndef N
#define N 5
#endif

byte array[N + 1];

proctype reader() {
  byte i = N;
  do
  :: d_step { array[i] != 0 -> i = i - 1 }
  :: array[i] == 0 -> break
  od
}

proctype writer(byte j) {
  byte r;
  r = array[j - 1];
  array[j] = r + 1
}

init {
  byte j = 1;
  atomic {
    run reader();
    do
    :: j <= N -> run writer(j); j++
    :: else -> break
    od
  }
}
