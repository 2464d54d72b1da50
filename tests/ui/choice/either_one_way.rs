// `either!` has two or more alternatives.

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
        either! {
            { s.x += 1; }
        }
    }

    #[invariant]
    fn small(s: &State) -> bool {
        s.x < 10
    }
}

fn main() {}
