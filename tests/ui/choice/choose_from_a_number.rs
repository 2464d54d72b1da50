// `choose!` draws from a collection.

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
        let d = choose!(3);
        s.x += d;
    }

    #[invariant]
    fn small(s: &State) -> bool {
        s.x < 10
    }
}

fn main() {}
