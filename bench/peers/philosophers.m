-- Murphi (Rumur) twin of specs/bench/philosophers.mmspec, `phil_ordered` (lower-numbered
-- fork first), one meal each: scenario ordered<N>. One rule per mmcheck step.
const
  N: 6;
type
  ph: 0..N - 1;
var
  forks: array[ph] of boolean;
  eaten: array[ph] of 0..1;
  pc: array[ph] of 0..5;

function first(i: ph): ph; begin if (i + 1) % N < i then return (i + 1) % N; else return i; endif; end;
function second(i: ph): ph; begin if (i + 1) % N < i then return i; else return (i + 1) % N; endif; end;

ruleset i: ph do
  rule "spin_lock(first)" pc[i] = 0 & !forks[first(i)] ==> begin forks[first(i)] := true; pc[i] := 1; end;
  rule "spin_lock(second)" pc[i] = 1 & !forks[second(i)] ==> begin forks[second(i)] := true; pc[i] := 2; end;
  rule "eat" pc[i] = 2 ==> begin eaten[i] := eaten[i] + 1; pc[i] := 3; end;
  rule "spin_unlock(second)" pc[i] = 3 ==> begin forks[second(i)] := false; pc[i] := 4; end;
  rule "spin_unlock(first)" pc[i] = 4 ==> begin forks[first(i)] := false; pc[i] := 5; end;
end;

startstate "init"
begin
  for i: ph do forks[i] := false; eaten[i] := 0; pc[i] := 0; endfor;
end;
