// `#[value(rename)]` on the enum itself: the type name is not part of its rendering.

#[lamport::model]
mod m {
    use lamport::prelude::*;

    #[derive(Value)]
    #[value(rename = "VOTE")]
    pub enum Vote {
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
