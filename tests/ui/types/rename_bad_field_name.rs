// A field renamed to something that is not a TLA+ identifier.

#[lamport::model]
mod m {
    use lamport::prelude::*;

    #[derive(Value)]
    pub enum Vote {
        Yes,
        No {
            #[value(rename = "max-bal")]
            max_bal: i64,
        },
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
        s.v = Vote::Yes;
    }
}

fn main() {}
