// Two variants renamed to one TLA+ string: their values would be indistinguishable.

#[lamport::model]
mod m {
    use lamport::prelude::*;

    #[derive(Value)]
    pub enum Vote {
        #[value(rename = "YES")]
        Yes,
        #[value(rename = "YES")]
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
