// `Action` is the generated enum of the model's action instances: a user type may not take it.

#[lamport::model]
mod m {
    use lamport::prelude::*;

    #[derive(Value)]
    pub enum Action {
        Push,
        Pop,
    }

    #[state]
    pub struct State {
        pub last: Option<Action>,
    }

    #[init]
    fn init() -> State {
        State { last: None }
    }

    #[action]
    fn push(s: &mut State) {
        require!(s.last.is_none());
        s.last = Some(Action::Push);
    }
}

fn main() {}
