// The message of an assertion is printed as written.

#[lamport::model(check_deadlock = false)]
mod m {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub x: i64,
    }

    #[init]
    fn init() -> State {
        State { x: 0 }
    }

    #[action]
    fn step(s: &mut State) {
        s.x += 1;
        assert!(s.x < 5, "x is {}", s.x);
    }

    #[invariant]
    fn small(s: &State) -> bool {
        s.x < 10
    }
}

fn main() {}
