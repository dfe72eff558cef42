-- Murphi (Rumur) twin of specs/bench/counters.mmspec: W workers, each ROUNDS times bumps
-- `locked` under a spinlock and `racy` without (a read, then a write: lost updates).
-- Scenario big is W = 4, ROUNDS = 2 (the default below); huge is W = 5. One rule per
-- mmcheck step; the loop counter update is folded into the racy write, as mmcheck fuses it,
-- and a finished worker's locals are cleared, as mmcheck clears a finished thread's words.
const
  W: 4;
  ROUNDS: 2;
type
  thr: 1..W;
  cnt: 0..255;
var
  lock: boolean;
  locked: cnt;
  racy: cnt;
  pc: array[thr] of 0..5;
  r: array[thr] of cnt;
  i: array[thr] of 0..ROUNDS;

ruleset t: thr do
  rule "spin_lock" pc[t] = 0 & !lock ==> begin lock := true; pc[t] := 1; end;
  rule "locked++" pc[t] = 1 ==> begin locked := locked + 1; pc[t] := 2; end;
  rule "spin_unlock" pc[t] = 2 ==> begin lock := false; pc[t] := 3; end;
  rule "r = racy" pc[t] = 3 ==> begin r[t] := racy; pc[t] := 4; end;
  rule "racy = r + 1" pc[t] = 4 ==>
  begin
    racy := r[t] + 1;
    i[t] := i[t] + 1;
    if i[t] < ROUNDS then pc[t] := 0; else pc[t] := 5; r[t] := 0; i[t] := 0; endif;
  end;
end;

startstate "init"
begin
  lock := false; locked := 0; racy := 0;
  for t: thr do pc[t] := 0; r[t] := 0; i[t] := 0; endfor;
end;
