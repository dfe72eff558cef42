/*
 * fault-vs-munmap.pml -- Promela model of the 2008 RFC "another crazy idea to
 * get rid of mmap_sem in faults" (Peter Zijlstra): K lockless page faults race
 * one munmap.  Buggy variant (FIXED=0): free_pgtables frees the pte page at
 * once, as the RFC does.  Fixed variant (FIXED=1, fault-vs-munmap-fixed.pml):
 * the pte page is freed through call_srcu like the VMA.
 *
 *   spin -DK=2 -a fault-vs-munmap.pml        K = number of fault threads (1..3)
 *
 * The Murphi model fault-vs-munmap.m encodes the SAME transition system, one
 * rule per step below; SPIN -DNOREDUCE and Rumur (no symmetry) must report the
 * same number of states, and SPIN transitions = Rumur rules fired + 1 (SPIN
 * counts the initial state as a transition).  bench/seed.ts checks this.
 *
 * ---------------------------------------------------------------------------
 * TRANSITION SYSTEM (every numbered step is ONE atomic transition; "->" names
 * the next step; a step whose guard is false is blocked)
 * ---------------------------------------------------------------------------
 * Shared state (initial value):
 *   VMA      vma_linked=1 (in the tree), vma_usage=1 (0 = dead),
 *            vma_freed=0 (memory given back).  One VMA covers pages 0 and 1.
 *   pmd      the one pmd slot: NONE(0) or the pte-page frame 1..2 it points to.
 *            The pmd page itself (the root) is never freed and has no lock.
 *   frames   pte-page frames f = 1,2, each: pstate[f] UNUSED/ALLOC/FREED
 *            (a FREED frame is never reused, so any later access is a
 *            use-after-free), ptl[f] (its PTL, 0/1), pte[f][0..1] (present).
 *            At most 2 frames are ever needed: the slot goes NONE -> frame
 *            once before munmap clears it and once after.
 *   SRCU     readers: fault i is inside its read section.
 *            call_srcu(x) records wait_x := readers (snapshot) and pending_x;
 *            fault i leaving its section clears bit i of every wait set; the
 *            callback may run at any time once pending_x and wait_x == {}.
 *   munmap   munmap_done=0, mmap_sem=0, mptp (munmap's pte-page pointer).
 * Fault thread i (i = 0..K-1) faults page a = i mod 2 (K=3: pages 0,1,0);
 * local ptp = NONE.
 *   F1  srcu_read_lock   readers += i                                 -> F2
 *   F2  lookup vma       if vma_linked: assert !vma_freed (b)         -> F3
 *                        else (not found, SIGSEGV)                    -> F12
 *   F3  check dead       assert !vma_freed (b);
 *                        if vma_usage==0 (dead: retry lookup)         -> F2
 *                        else                                         -> F4
 *   F4  read pmd entry   if pmd==NONE -> F5 else                      -> F6
 *   F5  alloc pte page   (__pte_alloc; one atomic step, standing for the
 *                        check-and-populate under mm->page_table_lock; no
 *                        mmap_sem) if pmd==NONE: f := lowest UNUSED frame,
 *                        pstate[f] := ALLOC, pmd := f; else nothing   -> F6
 *   F6  read pte pointer ptp := pmd (pte_offset_map re-reads the pmd);
 *                        if ptp==NONE (cleared by munmap: re-walk)    -> F4
 *                        else                                         -> F7
 *   F7  lock PTL         guard: !ptl[ptp] || pstate[ptp]!=ALLOC (spinning on
 *                        a freed page's lock word is itself an access);
 *                        assert pstate[ptp]==ALLOC (a); ptl[ptp] := 1 -> F8
 *   F8  check dead       assert !vma_freed (b);
 *                        if vma_usage==0 (SIGBUS)                     -> F11
 *                        else                                         -> F9
 *   F9  check pte none   assert pstate[ptp]==ALLOC (a);
 *                        if pte[ptp][a] (already mapped)              -> F11
 *                        else                                         -> F10
 *   F10 set pte          assert pstate[ptp]==ALLOC (a);
 *                        assert !munmap_done (c); pte[ptp][a] := 1    -> F11
 *   F11 unlock PTL       assert pstate[ptp]==ALLOC (a); ptl[ptp] := 0;
 *                        ptp := NONE                                  -> F12
 *   F12 srcu_read_unlock readers -= i; wait_vma -= i; wait_pt -= i    -> end
 * munmap thread:
 *   M1  down_write       mmap_sem := 1                                -> M2
 *   M2  mark dead        guard vma_usage==1 (cmpxchg 1->0; it would spin
 *                        while >1, never the case here: no vma_get);
 *                        assert !vma_freed (b); vma_usage := 0        -> M3
 *   M3  unlink           vma_linked := 0                              -> M4(0)
 *   M4(j) lock PTL       (j = 0 then 1) if pmd==NONE: skip pte j
 *                        (-> M4(1) if j==0, else -> M7); else guard
 *                        !ptl[pmd] || pstate[pmd]!=ALLOC; mptp := pmd;
 *                        assert pstate[mptp]==ALLOC (a); ptl[mptp] := 1 -> M5(j)
 *   M5(j) clear pte      assert pstate[mptp]==ALLOC (a); pte[mptp][j] := 0
 *   M6(j) unlock PTL     assert pstate[mptp]==ALLOC (a); ptl[mptp] := 0;
 *                        mptp := NONE; -> M4(1) if j==0, else         -> M7
 *   M7  free pte page    if pmd==NONE: nothing to free                -> M9
 *                        else assert pstate[pmd]==ALLOC (a: double free);
 *                        BUGGY: pstate[pmd] := FREED (free_pgtables, at once)
 *                        FIXED: call_srcu(pte page): pending_pt := 1,
 *                               pt_page := pmd, wait_pt := readers    -> M8
 *   M8  clear pmd entry  pmd := NONE                                  -> M9
 *   M9  call_srcu(vma)   pending_vma := 1, wait_vma := readers        -> M10
 *   M10 up_write         mmap_sem := 0; munmap_done := 1;
 *                        assert no present pte in any frame with
 *                        pstate==ALLOC (c)                            -> end
 * SRCU callbacks (their own thread; each may fire at any time once enabled):
 *   S1  free vma         guard pending_vma && wait_vma=={};
 *                        assert !vma_freed; vma_freed := 1; pending_vma := 0
 *   S2  free pte page    guard pending_pt && wait_pt=={} (FIXED only);
 *                        assert pstate[pt_page]==ALLOC;
 *                        pstate[pt_page] := FREED; pending_pt := 0; pt_page := NONE
 * Checks: (a) no access to a freed page-table page, (b) no access to a freed
 * VMA, (c) once munmap is done, no present PTE (checked where a PTE can
 * appear, F10, and where munmap becomes done, M10).  Invalid end states
 * (SPIN's default check) catch a thread stuck forever.
 * Departures from the RFC text, on purpose: find_vma is lockless (the posted
 * patch still wraps it in a short down_read); munmap marks dead before it
 * unlinks (detach_vmas_to_be_unmapped does rb_erase, then vma_remove); the
 * zap takes the PTL once per pte (zap_pte_range takes it once per pte page);
 * the pte page is freed before the pmd entry is cleared (free_pte_range reads
 * the token, clears the pmd, then frees).  All as the brief specifies.
 * ---------------------------------------------------------------------------
 */

#ifndef K
#define K 2
#endif
#ifndef FIXED
#define FIXED 0
#endif

#define NONE   0
#define UNUSED 0
#define ALLOC  1
#define FREED  2

#define ME      (_pid - 1)          /* fault thread index: munmap is pid 0 */
#define BIT     (1 << ME)
#define PAGE    (ME % 2)            /* the page this fault thread touches */
#define PTE(f, j) pte[2 * (f) + (j)]

/* VMA */
bit  vma_linked = 1;
bit  vma_usage  = 1;
bit  vma_freed  = 0;
/* page table */
byte pmd = NONE;
byte pstate[3];                     /* index 0 unused */
bit  ptl[3];
bit  pte[6];                        /* PTE(f, j) */
/* SRCU */
byte readers;                       /* bit i: fault i in its read section */
byte wait_vma;
bit  pending_vma;
byte wait_pt;
bit  pending_pt;
byte pt_page = NONE;
/* munmap */
bit  mmap_sem;
bit  munmap_done;
byte mptp = NONE;

#define NO_PRESENT_PTE \
	(!(pstate[1] == ALLOC && (PTE(1, 0) || PTE(1, 1))) && \
	 !(pstate[2] == ALLOC && (PTE(2, 0) || PTE(2, 1))))

active proctype munmap()
{
	d_step { mmap_sem = 1 };                                        /* M1 down_write */
	d_step { vma_usage == 1 -> assert(!vma_freed); vma_usage = 0 }; /* M2 mark dead */
	d_step { vma_linked = 0 };                                      /* M3 unlink */
	/* zap: pte 0 */
	if
	:: d_step { pmd == NONE } -> goto zap1                          /* M4(0) pmd none: skip */
	:: d_step { pmd != NONE && (!ptl[pmd] || pstate[pmd] != ALLOC) ->
			mptp = pmd; assert(pstate[mptp] == ALLOC); ptl[mptp] = 1 };  /* M4(0) lock PTL */
		d_step { assert(pstate[mptp] == ALLOC); PTE(mptp, 0) = 0 };  /* M5(0) clear pte */
		d_step { assert(pstate[mptp] == ALLOC); ptl[mptp] = 0; mptp = NONE } /* M6(0) unlock */
	fi;
zap1:	/* zap: pte 1 */
	if
	:: d_step { pmd == NONE } -> goto free_pt                       /* M4(1) pmd none: skip */
	:: d_step { pmd != NONE && (!ptl[pmd] || pstate[pmd] != ALLOC) ->
			mptp = pmd; assert(pstate[mptp] == ALLOC); ptl[mptp] = 1 };  /* M4(1) lock PTL */
		d_step { assert(pstate[mptp] == ALLOC); PTE(mptp, 1) = 0 };  /* M5(1) clear pte */
		d_step { assert(pstate[mptp] == ALLOC); ptl[mptp] = 0; mptp = NONE } /* M6(1) unlock */
	fi;
free_pt:
	if
	:: d_step { pmd == NONE } -> goto free_vma                      /* M7 nothing to free */
	:: d_step { pmd != NONE -> assert(pstate[pmd] == ALLOC);        /* M7 free pte page */
#if FIXED
			pending_pt = 1; pt_page = pmd; wait_pt = readers   /*    call_srcu */
#else
			pstate[pmd] = FREED                                /*    at once */
#endif
		};
		d_step { pmd = NONE }                                   /* M8 clear pmd entry */
	fi;
free_vma:	/* (a label may not sit on a bare d_step: wrap it in a one-option if) */
	if
	:: d_step { pending_vma = 1; wait_vma = readers }               /* M9 call_srcu(vma) */
	fi;
	d_step { mmap_sem = 0; munmap_done = 1; assert(NO_PRESENT_PTE) } /* M10 up_write */
}

active [K] proctype fault()
{
	byte ptp = NONE;

	d_step { readers = readers | BIT };                             /* F1 srcu_read_lock */
lookup:
	if
	:: d_step { vma_linked -> assert(!vma_freed) }                  /* F2 lookup: found */
	:: d_step { !vma_linked } -> goto srcu_unlock                   /* F2 lookup: none, SIGSEGV */
	fi;
	if
	:: d_step { vma_usage == 0 -> assert(!vma_freed) } -> goto lookup /* F3 dead: retry */
	:: d_step { vma_usage != 0 -> assert(!vma_freed) }              /* F3 alive */
	fi;
read_pmd:
	if
	:: d_step { pmd != NONE }                                       /* F4 pmd present */
	:: d_step { pmd == NONE };                                      /* F4 pmd none */
		d_step {                                                /* F5 alloc pte page */
			if
			:: pmd == NONE ->
				if
				:: pstate[1] == UNUSED -> pmd = 1
				:: else -> assert(pstate[2] == UNUSED); pmd = 2
				fi;
				pstate[pmd] = ALLOC
			:: else -> skip
			fi
		}
	fi;
	if
	:: d_step { pmd == NONE } -> goto read_pmd                      /* F6 pmd cleared: re-walk */
	:: d_step { pmd != NONE -> ptp = pmd }                          /* F6 read pte pointer */
	fi;
	d_step { (!ptl[ptp] || pstate[ptp] != ALLOC) ->
		assert(pstate[ptp] == ALLOC); ptl[ptp] = 1 };           /* F7 lock PTL */
	if
	:: d_step { vma_usage == 0 -> assert(!vma_freed) } -> goto unlock /* F8 dead: SIGBUS */
	:: d_step { vma_usage != 0 -> assert(!vma_freed) }              /* F8 alive */
	fi;
	if
	:: d_step { PTE(ptp, PAGE) -> assert(pstate[ptp] == ALLOC) } -> goto unlock /* F9 pte set */
	:: d_step { !PTE(ptp, PAGE) -> assert(pstate[ptp] == ALLOC) }  /* F9 pte none */
	fi;
	d_step { assert(pstate[ptp] == ALLOC); assert(!munmap_done);
		 PTE(ptp, PAGE) = 1 };                                  /* F10 set pte */
unlock:
	if
	:: d_step { assert(pstate[ptp] == ALLOC); ptl[ptp] = 0; ptp = NONE } /* F11 unlock PTL */
	fi;
srcu_unlock:
	if
	:: d_step { readers = readers & ~BIT;                           /* F12 srcu_read_unlock */
		    wait_vma = wait_vma & ~BIT; wait_pt = wait_pt & ~BIT }
	fi
}

active proctype srcu_callbacks()
{
end:
	do
	:: d_step { pending_vma && wait_vma == 0 ->                     /* S1 free vma */
		assert(!vma_freed); vma_freed = 1; pending_vma = 0 }
	:: d_step { pending_pt && wait_pt == 0 ->                       /* S2 free pte page */
		assert(pstate[pt_page] == ALLOC); pstate[pt_page] = FREED;
		pending_pt = 0; pt_page = NONE }
	od
}
