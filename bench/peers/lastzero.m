-- Murphi (Rumur) twin of specs/bench/lastzero.mmspec (Abdulla et al., POPL'14): N writers,
-- one reader over arr[0..N]. One rule per mmcheck step.
const
  N: 5;
type
  ix: 0..N;
  wid: 1..N;
  val: 0..N;
var
  arr: array[ix] of val;
  rdone: boolean;
  ri: ix;
  wpc: array[wid] of 0..2;
  wr: array[wid] of val;

-- while (atomic_read(arr[i]) != 0) i = i - 1;
rule "reader" !rdone ==>
begin
  if arr[ri] != 0 then ri := ri - 1; else rdone := true; ri := 0; endif;   -- mmcheck clears a finished thread's words
end;

ruleset j: wid do
  rule "r = arr[j-1]" wpc[j] = 0 ==> begin wr[j] := arr[j - 1]; wpc[j] := 1; end;
  rule "arr[j] = r + 1" wpc[j] = 1 ==> begin arr[j] := wr[j] + 1; wpc[j] := 2; wr[j] := 0; end;
end;

startstate "init"
begin
  for k: ix do arr[k] := 0; endfor;
  rdone := false; ri := N;
  for j: wid do wpc[j] := 0; wr[j] := 0; endfor;
end;
