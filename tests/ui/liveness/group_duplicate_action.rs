// Each action is listed once in a group.

#[lamport::model(check_deadlock = false)]
mod m {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub x: i64,
        pub seen: Set<i64>,
    }

    #[init]
    fn init() -> State {
        State {
            x: 0,
            seen: Set::new(),
        }
    }

    #[action(p in 0..2)]
    fn go(s: &mut State, p: i64) {
        s.x = p;
    }

    #[action(p in 0..3)]
    fn stop(s: &mut State, p: i64) {
        s.x = p + 1;
    }

    #[action(p in s.seen)]
    fn again(s: &mut State, p: i64) {
        s.x = p;
    }

    fair!(go(p) | go(_));
}

fn main() {}
