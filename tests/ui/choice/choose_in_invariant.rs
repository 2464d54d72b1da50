// `choose!` chooses a successor: only in an action.

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
    }

    #[invariant]
    fn small(s: &State) -> bool {
        let y = choose!(0..2);
        s.x < 10 + y
    }
}

fn main() {}
