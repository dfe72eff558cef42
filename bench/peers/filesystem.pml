/* Promela twin of specs/bench/filesystem.mmspec (Flanagan & Godefroid, POPL'05 "file
 * system"): `spin -DT=6` runs threads tid 0..T-1 (scenario n<T>), `-DPAIRS=K` the colliding
 * pairs (0,13), (1,14), … (scenario p<K>). Mutexes are bits taken with an atomic test-and-set
 * (blocking while held), as mmcheck's mutex_lock blocks. Each mmcheck step is one statement
 * here, with the thread-local ones folded into the d_step of the shared access before them. */
#define NUMBLOCKS 26
#define NUMINODE 32

bit locki[NUMINODE];
byte inode[NUMINODE];
bit lockb[NUMBLOCKS];
bit busy[NUMBLOCKS];

proctype fs(byte tid) {
  byte i = tid % NUMINODE;
  byte b;
  atomic { locki[i] == 0 -> locki[i] = 1 };
  if
  :: d_step { inode[i] == 0 -> b = (i * 2) % NUMBLOCKS };
     do
     :: atomic { lockb[b] == 0 -> lockb[b] = 1 };
        if
        :: busy[b] == 0 ->
           busy[b] = 1;
           inode[i] = b + 1;
           lockb[b] = 0;
           break
        :: busy[b] != 0 ->
           d_step { lockb[b] = 0; b = (b + 1) % NUMBLOCKS }
        fi
     od
  :: inode[i] != 0
  fi;
  locki[i] = 0
}

init {
  byte k = 0;
  atomic {
#ifdef PAIRS
    do
    :: k < PAIRS -> run fs(k); run fs(k + 13); k++
    :: else -> break
    od
#else
    do
    :: k < T -> run fs(k); k++
    :: else -> break
    od
#endif
  }
}
