-- fault-vs-munmap.m with FIXED: true (keep the two files identical otherwise).
-- fault-vs-munmap.m -- Murphi (Rumur) model of the 2008 RFC "another crazy
-- idea to get rid of mmap_sem in faults" (Peter Zijlstra): K lockless page
-- faults race one munmap.  FIXED = false: free_pgtables frees the pte page at
-- once, as the RFC does.  fault-vs-munmap-fixed.m (the same
-- file with FIXED = true): the pte page goes through call_srcu like the VMA.
--
--   rumur --deadlock-detection off fault-vs-munmap.m -o v.c
--   cc -std=c11 -O3 -march=native -mcx16 v.c -o v -lpthread && ./v
--
-- K is the constant below (bench/seed.ts writes copies with K = 1..6).  Declaring
-- `Tid: scalarset(K)` instead turns on Rumur's symmetry reduction: nothing
-- below does arithmetic on a Tid.
--
-- Deadlock detection must be off: the model terminates (every thread ends),
-- and a terminal state counts as a deadlock for Rumur.
--
-- The Promela model fault-vs-munmap.pml encodes the SAME transition system:
-- one rule here per step there; SPIN -DNOREDUCE and this model (no symmetry)
-- give the same state count, and SPIN transitions = rules fired + 1.
--
-- ---------------------------------------------------------------------------
-- TRANSITION SYSTEM (every numbered step is ONE atomic transition = one rule
-- firing; "->" names the next step; a rule whose guard is false is blocked)
-- ---------------------------------------------------------------------------
-- Shared state (initial value):
--   VMA      vma_linked=true (in the tree), vma_usage=1 (0 = dead),
--            vma_freed=false (memory given back). One VMA covers pages 0, 1.
--   pmd      the one pmd slot: NONE(0) or the pte-page frame 1..2 it points
--            to. The pmd page itself (the root) is never freed, has no lock.
--   frames   pte-page frames f = 1,2, each: pstate[f] UNUSED/ALLOC/FREED
--            (a FREED frame is never reused, so any later access is a
--            use-after-free), ptl[f] (its PTL), pte[f][0..1] (present).
--            At most 2 frames are ever needed: the slot goes NONE -> frame
--            once before munmap clears it and once after.
--   SRCU     thr[i].reader: fault i is inside its read section.
--            call_srcu(x) records thr[i].wait_x := thr[i].reader for all i
--            (snapshot) and pending_x; fault i leaving its section clears its
--            wait bits; the callback may run at any time once pending_x and
--            no wait_x bit is set.
--   munmap   mpc (its step; M_DONE = munmap done), mmap_sem=false, mj (pte
--            being zapped), mptp (munmap's pte-page pointer).
-- Fault thread i (i = 0..K-1) faults page a = i mod 2 (K=3: pages 0,1,0);
-- local ptp = NONE.
--   F1  srcu_read_lock   reader := true                                -> F2
--   F2  lookup vma       if vma_linked: assert !vma_freed (b)          -> F3
--                        else (not found, SIGSEGV)                     -> F12
--   F3  check dead       assert !vma_freed (b);
--                        if vma_usage=0 (dead: retry lookup)           -> F2
--                        else                                          -> F4
--   F4  read pmd entry   if pmd=NONE -> F5 else                        -> F6
--   F5  alloc pte page   (__pte_alloc; one atomic step, standing for the
--                        check-and-populate under mm->page_table_lock; no
--                        mmap_sem) if pmd=NONE: f := lowest UNUSED frame,
--                        pstate[f] := ALLOC, pmd := f; else nothing    -> F6
--   F6  read pte pointer ptp := pmd (pte_offset_map re-reads the pmd);
--                        if ptp=NONE (cleared by munmap: re-walk)      -> F4
--                        else                                          -> F7
--   F7  lock PTL         guard: !ptl[ptp] | pstate[ptp]!=ALLOC (spinning on
--                        a freed page's lock word is itself an access);
--                        assert pstate[ptp]=ALLOC (a); ptl[ptp] := true -> F8
--   F8  check dead       assert !vma_freed (b);
--                        if vma_usage=0 (SIGBUS)                       -> F11
--                        else                                          -> F9
--   F9  check pte none   assert pstate[ptp]=ALLOC (a);
--                        if pte[ptp][a] (already mapped)               -> F11
--                        else                                          -> F10
--   F10 set pte          assert pstate[ptp]=ALLOC (a);
--                        assert munmap not done (c); pte[ptp][a] := true -> F11
--   F11 unlock PTL       assert pstate[ptp]=ALLOC (a); ptl[ptp] := false;
--                        ptp := NONE                                   -> F12
--   F12 srcu_read_unlock reader, wait_vma, wait_pt := false           -> done
-- munmap thread:
--   M1  down_write       mmap_sem := true                              -> M2
--   M2  mark dead        guard vma_usage=1 (cmpxchg 1->0; it would spin
--                        while >1, never the case here: no vma_get);
--                        assert !vma_freed (b); vma_usage := 0         -> M3
--   M3  unlink           vma_linked := false; mj := 0                  -> M4
--   M4(mj) lock PTL      if pmd=NONE: skip pte mj (mj=0: mj := 1 -> M4;
--                        mj=1: mj := 0 -> M7); else guard !ptl[pmd] |
--                        pstate[pmd]!=ALLOC; mptp := pmd;
--                        assert pstate[mptp]=ALLOC (a); ptl[mptp] := true -> M5
--   M5(mj) clear pte     assert pstate[mptp]=ALLOC (a); pte[mptp][mj] := false
--   M6(mj) unlock PTL    assert pstate[mptp]=ALLOC (a); ptl[mptp] := false;
--                        mptp := NONE; mj=0: mj := 1 -> M4; mj=1: mj := 0 -> M7
--   M7  free pte page    if pmd=NONE: nothing to free                  -> M9
--                        else assert pstate[pmd]=ALLOC (a: double free);
--                        BUGGY: pstate[pmd] := FREED (free_pgtables, at once)
--                        FIXED: call_srcu(pte page): pending_pt := true,
--                               pt_page := pmd, wait_pt := reader      -> M8
--   M8  clear pmd entry  pmd := NONE                                   -> M9
--   M9  call_srcu(vma)   pending_vma := true, wait_vma := reader       -> M10
--   M10 up_write         mmap_sem := false; mpc := M_DONE;
--                        assert no present pte in any frame with
--                        pstate=ALLOC (c)                              -> done
-- SRCU callbacks (each may fire at any time once enabled):
--   S1  free vma         guard pending_vma & no wait_vma bit;
--                        assert !vma_freed; vma_freed := true; pending_vma := false
--   S2  free pte page    guard pending_pt & no wait_pt bit (FIXED only);
--                        assert pstate[pt_page]=ALLOC; pstate[pt_page] := FREED;
--                        pending_pt := false; pt_page := NONE
-- Checks: (a) no access to a freed page-table page, (b) no access to a freed
-- VMA, (c) once munmap is done, no present PTE (checked where a PTE can
-- appear, F10, and where munmap becomes done, M10).
-- Departures from the RFC text, on purpose: find_vma is lockless (the posted
-- patch still wraps it in a short down_read); munmap marks dead before it
-- unlinks (detach_vmas_to_be_unmapped does rb_erase, then vma_remove); the
-- zap takes the PTL once per pte (zap_pte_range takes it once per pte page);
-- the pte page is freed before the pmd entry is cleared (free_pte_range reads
-- the token, clears the pmd, then frees).  All as the brief specifies.
-- ---------------------------------------------------------------------------

const
  K: 2;                         -- fault threads
  FIXED: true;                  -- true: pte page freed via call_srcu
  NONE: 0;

type
  Tid: 0..K-1;                  -- scalarset(K): symmetry reduction
  FrameOpt: 0..2;               -- 0 = NONE; frames 1, 2 (index 0 unused)
  PageIdx: 0..1;
  PState: enum { UNUSED, ALLOC, FREED };
  FPC: enum { F1_SRCU_LOCK, F2_LOOKUP, F3_CHECK_DEAD, F4_READ_PMD,
              F5_ALLOC_PTE, F6_READ_PTP, F7_LOCK_PTL, F8_CHECK_DEAD,
              F9_CHECK_PTE_NONE, F10_SET_PTE, F11_UNLOCK_PTL,
              F12_SRCU_UNLOCK, F_DONE };
  MPC: enum { M1_DOWN_WRITE, M2_MARK_DEAD, M3_UNLINK, M4_ZAP_LOCK,
              M5_ZAP_CLEAR, M6_ZAP_UNLOCK, M7_FREE_PTE_PAGE, M8_CLEAR_PMD,
              M9_CALL_SRCU_VMA, M10_UP_WRITE, M_DONE };
  Fault: record
    pc: FPC;
    page: PageIdx;              -- the page this thread faults (constant)
    ptp: FrameOpt;              -- its pte-page pointer
    reader: boolean;            -- inside its SRCU read section
    wait_vma: boolean;          -- call_srcu(vma) must wait for it
    wait_pt: boolean;           -- call_srcu(pte page) must wait for it
  end;

var
  vma_linked: boolean;
  vma_usage: 0..1;
  vma_freed: boolean;
  pmd: FrameOpt;
  pstate: array [FrameOpt] of PState;
  ptl: array [FrameOpt] of boolean;
  pte: array [FrameOpt] of array [PageIdx] of boolean;
  pending_vma: boolean;
  pending_pt: boolean;
  pt_page: FrameOpt;
  mpc: MPC;
  mmap_sem: boolean;
  mj: PageIdx;
  mptp: FrameOpt;
  thr: array [Tid] of Fault;

function no_present_pte(): boolean;
begin
  return forall f: FrameOpt do
           pstate[f] != ALLOC | (!pte[f][0] & !pte[f][1])
         end;
end;

startstate "init"
var n: 0..K;
begin
  vma_linked := true; vma_usage := 1; vma_freed := false;
  pmd := NONE;
  for f: FrameOpt do
    pstate[f] := UNUSED; ptl[f] := false;
    pte[f][0] := false; pte[f][1] := false;
  end;
  pending_vma := false; pending_pt := false; pt_page := NONE;
  mpc := M1_DOWN_WRITE; mmap_sem := false; mj := 0; mptp := NONE;
  n := 0;
  for i: Tid do
    thr[i].pc := F1_SRCU_LOCK; thr[i].page := n % 2; thr[i].ptp := NONE;
    thr[i].reader := false; thr[i].wait_vma := false; thr[i].wait_pt := false;
    n := n + 1;
  end;
end;

---------------------------------------------------------------- fault threads
ruleset i: Tid do

  rule "F1 srcu_read_lock" thr[i].pc = F1_SRCU_LOCK ==>
  begin
    thr[i].reader := true; thr[i].pc := F2_LOOKUP;
  end;

  rule "F2 lookup vma" thr[i].pc = F2_LOOKUP ==>
  begin
    if vma_linked then
      assert !vma_freed "(b) lookup reads a freed VMA";
      thr[i].pc := F3_CHECK_DEAD;
    else
      thr[i].pc := F12_SRCU_UNLOCK;             -- no VMA: SIGSEGV
    end;
  end;

  rule "F3 check dead" thr[i].pc = F3_CHECK_DEAD ==>
  begin
    assert !vma_freed "(b) check dead reads a freed VMA";
    if vma_usage = 0 then
      thr[i].pc := F2_LOOKUP;                   -- dead: retry the lookup
    else
      thr[i].pc := F4_READ_PMD;
    end;
  end;

  rule "F4 read pmd entry" thr[i].pc = F4_READ_PMD ==>
  begin
    if pmd = NONE then thr[i].pc := F5_ALLOC_PTE; else thr[i].pc := F6_READ_PTP; end;
  end;

  rule "F5 alloc pte page" thr[i].pc = F5_ALLOC_PTE ==>
  begin
    if pmd = NONE then
      if pstate[1] = UNUSED then
        pmd := 1;
      else
        assert pstate[2] = UNUSED "model bound: more than 2 pte-page frames";
        pmd := 2;
      end;
      pstate[pmd] := ALLOC;
    end;
    thr[i].pc := F6_READ_PTP;
  end;

  rule "F6 read pte page pointer" thr[i].pc = F6_READ_PTP ==>
  begin
    if pmd = NONE then
      thr[i].pc := F4_READ_PMD;                 -- pmd cleared: re-walk
    else
      thr[i].ptp := pmd; thr[i].pc := F7_LOCK_PTL;
    end;
  end;

  rule "F7 lock PTL"
    thr[i].pc = F7_LOCK_PTL & (!ptl[thr[i].ptp] | pstate[thr[i].ptp] != ALLOC) ==>
  begin
    assert pstate[thr[i].ptp] = ALLOC "(a) fault locks the PTL of a freed pte page";
    ptl[thr[i].ptp] := true; thr[i].pc := F8_CHECK_DEAD;
  end;

  rule "F8 check dead under PTL" thr[i].pc = F8_CHECK_DEAD ==>
  begin
    assert !vma_freed "(b) check dead reads a freed VMA";
    if vma_usage = 0 then
      thr[i].pc := F11_UNLOCK_PTL;              -- SIGBUS
    else
      thr[i].pc := F9_CHECK_PTE_NONE;
    end;
  end;

  rule "F9 check pte none" thr[i].pc = F9_CHECK_PTE_NONE ==>
  begin
    assert pstate[thr[i].ptp] = ALLOC "(a) fault reads a pte in a freed pte page";
    if pte[thr[i].ptp][thr[i].page] then
      thr[i].pc := F11_UNLOCK_PTL;
    else
      thr[i].pc := F10_SET_PTE;
    end;
  end;

  rule "F10 set pte" thr[i].pc = F10_SET_PTE ==>
  begin
    assert pstate[thr[i].ptp] = ALLOC "(a) fault writes a pte in a freed pte page";
    assert mpc != M_DONE "(c) PTE installed after munmap completed";
    pte[thr[i].ptp][thr[i].page] := true; thr[i].pc := F11_UNLOCK_PTL;
  end;

  rule "F11 unlock PTL" thr[i].pc = F11_UNLOCK_PTL ==>
  begin
    assert pstate[thr[i].ptp] = ALLOC "(a) fault unlocks the PTL of a freed pte page";
    ptl[thr[i].ptp] := false; thr[i].ptp := NONE; thr[i].pc := F12_SRCU_UNLOCK;
  end;

  rule "F12 srcu_read_unlock" thr[i].pc = F12_SRCU_UNLOCK ==>
  begin
    thr[i].reader := false; thr[i].wait_vma := false; thr[i].wait_pt := false;
    thr[i].pc := F_DONE;
  end;

end;

----------------------------------------------------------------------- munmap
rule "M1 down_write" mpc = M1_DOWN_WRITE ==>
begin
  mmap_sem := true; mpc := M2_MARK_DEAD;
end;

rule "M2 mark dead" mpc = M2_MARK_DEAD & vma_usage = 1 ==>
begin
  assert !vma_freed "(b) munmap marks a freed VMA dead";
  vma_usage := 0; mpc := M3_UNLINK;
end;

rule "M3 unlink" mpc = M3_UNLINK ==>
begin
  vma_linked := false; mj := 0; mpc := M4_ZAP_LOCK;
end;

rule "M4 zap: lock PTL"
  mpc = M4_ZAP_LOCK & (pmd = NONE | !ptl[pmd] | pstate[pmd] != ALLOC) ==>
begin
  if pmd = NONE then                            -- no pte page: skip pte mj
    if mj = 0 then mj := 1; else mj := 0; mpc := M7_FREE_PTE_PAGE; end;
  else
    mptp := pmd;
    assert pstate[mptp] = ALLOC "(a) munmap locks the PTL of a freed pte page";
    ptl[mptp] := true; mpc := M5_ZAP_CLEAR;
  end;
end;

rule "M5 zap: clear pte" mpc = M5_ZAP_CLEAR ==>
begin
  assert pstate[mptp] = ALLOC "(a) munmap clears a pte in a freed pte page";
  pte[mptp][mj] := false; mpc := M6_ZAP_UNLOCK;
end;

rule "M6 zap: unlock PTL" mpc = M6_ZAP_UNLOCK ==>
begin
  assert pstate[mptp] = ALLOC "(a) munmap unlocks the PTL of a freed pte page";
  ptl[mptp] := false; mptp := NONE;
  if mj = 0 then mj := 1; mpc := M4_ZAP_LOCK; else mj := 0; mpc := M7_FREE_PTE_PAGE; end;
end;

rule "M7 free pte page" mpc = M7_FREE_PTE_PAGE ==>
begin
  if pmd = NONE then
    mpc := M9_CALL_SRCU_VMA;                    -- nothing to free
  else
    assert pstate[pmd] = ALLOC "(a) munmap frees a freed pte page";
    if FIXED then
      pending_pt := true; pt_page := pmd;       -- call_srcu(pte page)
      for i: Tid do thr[i].wait_pt := thr[i].reader; end;
    else
      pstate[pmd] := FREED;                     -- free_pgtables: at once
    end;
    mpc := M8_CLEAR_PMD;
  end;
end;

rule "M8 clear pmd entry" mpc = M8_CLEAR_PMD ==>
begin
  pmd := NONE; mpc := M9_CALL_SRCU_VMA;
end;

rule "M9 call_srcu(vma)" mpc = M9_CALL_SRCU_VMA ==>
begin
  pending_vma := true;
  for i: Tid do thr[i].wait_vma := thr[i].reader; end;
  mpc := M10_UP_WRITE;
end;

rule "M10 up_write" mpc = M10_UP_WRITE ==>
begin
  mmap_sem := false; mpc := M_DONE;
  assert no_present_pte() "(c) a PTE is still present when munmap completes";
end;

--------------------------------------------------------------- SRCU callbacks
rule "S1 srcu callback: free vma"
  pending_vma & forall i: Tid do !thr[i].wait_vma end ==>
begin
  assert !vma_freed "VMA freed twice";
  vma_freed := true; pending_vma := false;
end;

rule "S2 srcu callback: free pte page"
  pending_pt & forall i: Tid do !thr[i].wait_pt end ==>
begin
  assert pstate[pt_page] = ALLOC "pte page freed twice";
  pstate[pt_page] := FREED; pending_pt := false; pt_page := NONE;
end;
