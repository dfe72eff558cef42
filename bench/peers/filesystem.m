-- Murphi (Rumur) twin of specs/bench/filesystem.mmspec (Flanagan & Godefroid, POPL'05):
-- PAIRS = 0: thread k has tid k (scenario n<T>); PAIRS = K > 0 (T = 2K): the colliding
-- pairs (0,13), (1,14), ... (scenario p<K>). One rule per mmcheck step; mutexes are
-- booleans, a lock rule is enabled only while the lock is free.
const
  T: 6;
  PAIRS: 0;
  NUMBLOCKS: 26;
  NUMINODE: 32;
type
  thr: 0..T - 1;
  ino: 0..NUMINODE - 1;
  blk: 0..NUMBLOCKS - 1;
var
  locki: array[ino] of boolean;
  inode: array[ino] of 0..NUMBLOCKS;
  lockb: array[blk] of boolean;
  busy: array[blk] of boolean;
  pc: array[thr] of 0..9;
  i: array[thr] of ino;
  b: array[thr] of blk;

function tidof(k: thr): 0..63;
begin
  if PAIRS > 0 then return k / 2 + (k % 2) * 13; else return k; endif;
end;

ruleset k: thr do
  rule "mutex_lock(locki[i])" pc[k] = 0 & !locki[i[k]] ==> begin locki[i[k]] := true; pc[k] := 1; end;
  rule "if (inode[i] == 0)" pc[k] = 1 ==>
  begin
    if inode[i[k]] = 0 then b[k] := (i[k] * 2) % NUMBLOCKS; pc[k] := 2; else pc[k] := 7; endif;
  end;
  rule "mutex_lock(lockb[b])" pc[k] = 2 & !lockb[b[k]] ==> begin lockb[b[k]] := true; pc[k] := 3; end;
  rule "if (!busy[b])" pc[k] = 3 ==> begin if !busy[b[k]] then pc[k] := 4; else pc[k] := 8; endif; end;
  rule "busy[b] = true" pc[k] = 4 ==> begin busy[b[k]] := true; pc[k] := 5; end;
  rule "inode[i] = b + 1" pc[k] = 5 ==> begin inode[i[k]] := b[k] + 1; pc[k] := 6; end;
  rule "mutex_unlock(lockb[b]); break" pc[k] = 6 ==> begin lockb[b[k]] := false; pc[k] := 7; end;
  rule "mutex_unlock(locki[i])" pc[k] = 7 ==> begin locki[i[k]] := false; pc[k] := 9; end;
  rule "mutex_unlock(lockb[b]); b++" pc[k] = 8 ==>
  begin
    lockb[b[k]] := false; b[k] := (b[k] + 1) % NUMBLOCKS; pc[k] := 2;
  end;
end;

startstate "init"
begin
  for x: ino do locki[x] := false; inode[x] := 0; endfor;
  for y: blk do lockb[y] := false; busy[y] := false; endfor;
  for k: thr do pc[k] := 0; i[k] := tidof(k) % NUMINODE; b[k] := 0; endfor;
end;
