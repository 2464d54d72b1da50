---- MODULE TwoPhaseCommit ----
\* Two-phase commit.
\*
\* A transaction manager (TM) and a set of resource managers (RMs) decide together whether a
\* transaction commits. Each RM is `working` until it either prepares (sending `Prepared` to the
\* TM) or spontaneously aborts. The TM collects `Prepared` messages; once *every* RM has
\* prepared it may commit, and at any time before deciding it may abort. Its decision is
\* broadcast, and RMs adopt it.
\*
\* Fault model, as in the TLA+ original: messages are never lost or duplicated in a way that
\* matters (the message set `msgs` only grows, so a message can be received any number of times
\* and "lost" is indistinguishable from "not yet received"); an RM may abort on its own before
\* preparing; the TM may abort at any point before it commits.
\*
\* Properties:
\* - `TPTypeOK`: every variable holds values of the expected kind, for exactly the configured RMs.
\* - `TCConsistent`: no RM has committed while another has aborted (the safety property of
\*   transaction commit, from `TCommit.tla`).
\* - `Termination`: every behaviour ends with every RM committed or aborted (`<>`), under weak
\*   fairness of the TM's decisions, of preparing and of receiving the decision. An RM's
\*   spontaneous abort is not fair: nothing obliges an RM to fail. Configuration
\*   `rm3_no_fairness` checks it without fairness, where it fails: a behaviour may stop at once.
\*
\* Bug zoo: `bug_commit_early` lets the TM commit once *any* RM has prepared rather than all of
\* them, so an RM that never prepared can abort while another commits.
\* Exported by lamport from the Rust model `two_phase_commit` (examples/two_phase_commit.rs).

\* The resource managers (`RM` in TwoPhase.tla).
CONSTANT Rm
\* Bug zoo: the TM commits when any RM (not every RM) has prepared.
CONSTANT BugCommitEarly

\* `rmState[r]`: the state of resource manager `r`.
VARIABLE rmState
\* The state of the transaction manager.
VARIABLE tmState
\* The RMs from which the TM has received `Prepared`.
VARIABLE tmPrepared
\* Every message ever sent.
VARIABLE msgs

vars == <<rmState, tmState, tmPrepared, msgs>>

\* Every variable holds a value of its Rust type (generated from the type declarations).
TypeOK ==
    /\ DOMAIN rmState \subseteq Rm
    /\ \A k \in DOMAIN rmState : rmState[k] \in {"working", "prepared", "committed", "aborted"}
    /\ tmState \in {"init", "committed", "aborted"}
    /\ tmPrepared \subseteq Rm
    /\ msgs \subseteq [type : {"prepared"}, rm : Rm] \cup [type : {"commit"}] \cup [type : {"abort"}]

\* Every RM working, the TM in its initial state, nothing prepared, no message sent.
\* From `init` (examples/two_phase_commit.rs:160).
Init ==
    /\ rmState = [r \in Rm |-> "working"]
    /\ tmState = "init"
    /\ tmPrepared = {}
    /\ msgs = {}

\* The TM receives a `Prepared` message from resource manager `rm`.
\* From `tm_rcv_prepared` (examples/two_phase_commit.rs:171).
TMRcvPrepared(rm) ==
    /\ tmState = "init"
    /\ [type |-> "prepared", rm |-> rm] \in msgs
    /\ tmPrepared' = tmPrepared \cup {rm}
    /\ UNCHANGED <<rmState, tmState, msgs>>

\* The TM commits the transaction; enabled once every RM has prepared (any RM, in the bug).
\* From `tm_commit` (examples/two_phase_commit.rs:179).
TMCommit ==
    /\ tmState = "init"
    /\ IF BugCommitEarly THEN tmPrepared # {} ELSE tmPrepared = Rm
    /\ tmState' = "committed"
    /\ msgs' = msgs \cup {[type |-> "commit"]}
    /\ UNCHANGED <<rmState, tmPrepared>>

\* The TM spontaneously aborts the transaction.
\* From `tm_abort` (examples/two_phase_commit.rs:192).
TMAbort ==
    /\ tmState = "init"
    /\ tmState' = "aborted"
    /\ msgs' = msgs \cup {[type |-> "abort"]}
    /\ UNCHANGED <<rmState, tmPrepared>>

\* Resource manager `rm` prepares.
\* From `rm_prepare` (examples/two_phase_commit.rs:200).
RMPrepare(rm) ==
    /\ rmState[rm] = "working"
    /\ rmState' = [rmState EXCEPT ![rm] = "prepared"]
    /\ msgs' = msgs \cup {[type |-> "prepared", rm |-> rm]}
    /\ UNCHANGED <<tmState, tmPrepared>>

\* Resource manager `rm` spontaneously decides to abort.
\* From `rm_choose_to_abort` (examples/two_phase_commit.rs:208).
RMChooseToAbort(rm) ==
    /\ rmState[rm] = "working"
    /\ rmState' = [rmState EXCEPT ![rm] = "aborted"]
    /\ UNCHANGED <<tmState, tmPrepared, msgs>>

\* Resource manager `rm` is told by the TM to commit.
\* From `rm_rcv_commit_msg` (examples/two_phase_commit.rs:215).
RMRcvCommitMsg(rm) ==
    /\ [type |-> "commit"] \in msgs
    /\ rmState' = [rmState EXCEPT ![rm] = "committed"]
    /\ UNCHANGED <<tmState, tmPrepared, msgs>>

\* Resource manager `rm` is told by the TM to abort.
\* From `rm_rcv_abort_msg` (examples/two_phase_commit.rs:222).
RMRcvAbortMsg(rm) ==
    /\ [type |-> "abort"] \in msgs
    /\ rmState' = [rmState EXCEPT ![rm] = "aborted"]
    /\ UNCHANGED <<tmState, tmPrepared, msgs>>

Next ==
    \/ \E rm \in Rm : TMRcvPrepared(rm)
    \/ TMCommit
    \/ TMAbort
    \/ \E rm \in Rm : RMPrepare(rm)
    \/ \E rm \in Rm : RMChooseToAbort(rm)
    \/ \E rm \in Rm : RMRcvCommitMsg(rm)
    \/ \E rm \in Rm : RMRcvAbortMsg(rm)

Spec == Init /\ [][Next]_vars

\* The fairness conditions of the actions declared `fair` / `strong_fair`.
Fairness ==
    /\ WF_vars(\E rm \in Rm : TMRcvPrepared(rm))
    /\ WF_vars(TMCommit)
    /\ WF_vars(TMAbort)
    /\ WF_vars(\E rm \in Rm : RMPrepare(rm))
    /\ WF_vars(\E rm \in Rm : RMRcvCommitMsg(rm))
    /\ WF_vars(\E rm \in Rm : RMRcvAbortMsg(rm))

FairSpec == Spec /\ Fairness

\* Every variable holds a value of the expected kind for exactly the configured RMs.
\* From `type_ok` (examples/two_phase_commit.rs:229).
TPTypeOK ==
    /\ DOMAIN rmState = Rm
    /\ tmPrepared \subseteq Rm
    /\ \A m \in msgs : CASE m.type = "prepared" -> m.rm \in Rm
                         [] (\/ m.type = "commit"
                             \/ m.type = "abort") -> TRUE

\* No resource manager has committed while another has aborted.
\* From `consistent` (examples/two_phase_commit.rs:240).
TCConsistent ==
    \A r1 \in Rm : \A r2 \in Rm : ~(/\ rmState[r1] = "aborted"
                                    /\ rmState[r2] = "committed")

\* Every behaviour reaches a state where every RM has committed or aborted.
\* From `termination` (examples/two_phase_commit.rs:250).
Termination ==
    <>(\A r \in Rm : \/ rmState[r] = "committed"
                     \/ rmState[r] = "aborted")

=============================================================================
