//! What can go wrong in a search, found by any thread and reported once: the error with the
//! smallest key (the first a sequential search meets).

/// An error found while expanding a level, at a successor key (see `check`).
pub(crate) struct Event<S> {
    pub key: u64,
    pub kind: EventKind<S>,
    /// The candidate (index in its chunk) the error belongs to, when it is about a state that
    /// counts only if it is the first copy of itself in the level (its invariants, its
    /// `#[reachable]` conditions); `None` for errors of steps and of the expanded state.
    pub candidate: Option<u32>,
}

pub(crate) enum EventKind<S> {
    /// Invariant `index` is false in `state`, reached from node `parent` (`None`: initial).
    Invariant {
        index: usize,
        parent: Option<u32>,
        state: S,
    },
    /// A step from node `parent` to `state` violates step property `index`.
    Step {
        index: usize,
        parent: u32,
        state: S,
    },
    /// Initial state `state` violates the initial condition of step property `index` (a
    /// refinement whose abstract model has no such initial state).
    InitialStep {
        index: usize,
        state: S,
    },
    Deadlock {
        node: u32,
    },
    /// Model code panicked: while computing the successors of `node` (no `state`), or while
    /// evaluating a function of `state`, reached from `node` (`None`: an initial state).
    Panic {
        node: Option<u32>,
        state: Option<S>,
        message: String,
        role: Role,
    },
}

/// Which model function panicked: known where it happened, or found again when reported
/// (see `fault`), so that nothing is paid for naming while nothing goes wrong.
pub(crate) enum Role {
    Known(String),
    /// One of the state's constraints or invariants.
    StateFunctions,
    /// One of the `#[reachable]` conditions.
    Reachables,
    /// An action of the state being expanded (or its parameters' domains).
    Actions,
}

impl<S> Event<S> {
    pub fn new(key: u64, kind: EventKind<S>) -> Event<S> {
        Event {
            key,
            kind,
            candidate: None,
        }
    }

    pub fn of_candidate(key: u64, candidate: u32, kind: EventKind<S>) -> Event<S> {
        Event {
            key,
            kind,
            candidate: Some(candidate),
        }
    }
}
