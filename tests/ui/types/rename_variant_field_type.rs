// A variant field named `type`: the tag of a variant with fields is its `type` field.

#[lamport::model]
mod m {
    use lamport::prelude::*;

    #[derive(Value)]
    pub enum Vote {
        Yes,
        No { r#type: i64 },
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
