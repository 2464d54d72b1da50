// Each action becomes a variant of the generated `Action` enum, named in PascalCase: two actions
// may not map to the same variant.

#[lamport::model]
mod m {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub count: i64,
    }

    #[init]
    fn init() -> State {
        State { count: 0 }
    }

    #[action]
    fn add_one(s: &mut State) {
        require!(s.count < 3);
        s.count += 1;
    }

    #[action(name = "AddOneMore")]
    fn add__one(s: &mut State) {
        require!(s.count < 2);
        s.count += 1;
    }
}

fn main() {}
