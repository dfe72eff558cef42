-- Murphi (Rumur) twin of specs/bench/indexer.mmspec (Flanagan & Godefroid, POPL'05):
-- T threads insert MAX values each into a 128-slot table with compare-and-swap. PAIRS = 0:
-- thread k has tid k (scenario n<T>); PAIRS = K > 0 (with T = 2K): the colliding pairs
-- (0,11), (1,12), ... (scenario p<K>). One rule per mmcheck step (a cas, successful or not,
-- with the local bookkeeping after it).
const
  T: 8;
  PAIRS: 0;
  SIZE: 128;
  MAX: 4;
type
  thr: 0..T - 1;
  slot: 0..SIZE - 1;
  val: 0..63;
var
  table: array[slot] of val;
  done: array[thr] of boolean;
  m: array[thr] of 1..MAX;
  w: array[thr] of val;
  h: array[thr] of slot;

function tidof(k: thr): 0..31;
begin
  if PAIRS > 0 then return k / 2 + (k % 2) * 11; else return k; endif;
end;

ruleset k: thr do
  rule "cas" !done[k] ==>
  begin
    if table[h[k]] = 0 then
      table[h[k]] := w[k];
      if m[k] = MAX then
        done[k] := true; m[k] := 1; w[k] := 0; h[k] := 0;   -- mmcheck clears a finished thread's words
      else
        m[k] := m[k] + 1;
        w[k] := m[k] * 11 + tidof(k);
        h[k] := (w[k] * 7) % SIZE;
      endif;
    else
      h[k] := (h[k] + 1) % SIZE;
    endif;
  end;
end;

startstate "init"
begin
  for s: slot do table[s] := 0; endfor;
  for k: thr do
    done[k] := false; m[k] := 1; w[k] := 11 + tidof(k); h[k] := ((11 + tidof(k)) * 7) % SIZE;
  endfor;
end;
