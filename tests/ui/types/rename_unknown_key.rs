// `#[value(name = ..)]`: the attribute takes only `rename`.

#[lamport::model]
mod m {
    use lamport::prelude::*;

    #[derive(Value)]
    pub enum Vote {
        #[value(name = "YES")]
        Yes,
        No,
    }

    #[state]
    pub struct State {
        pub v: Vote,
    }

    #[init]
    fn init() -> State {
        State { v: Vote::Yes }
    }

    #[action]
    fn flip(s: &mut State) {
        require!(s.v == Vote::Yes);
        s.v = Vote::No;
    }
}

fn main() {}
