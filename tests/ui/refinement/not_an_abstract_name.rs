// The mapped name is a state variable or constant of the abstract model.

#[lamport::model]
pub mod abs {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub limit: i64,
    }

    #[configs]
    impl Config {
        pub fn small() -> Self {
            Config { limit: 2 }
        }
    }

    #[state]
    pub struct State {
        pub x: i64,
    }

    #[init]
    fn init() -> State {
        State { x: 0 }
    }

    #[action]
    fn step(s: &mut State, c: &Config) {
        require!(s.x < c.limit);
        s.x += 1;
    }
}

#[lamport::model]
#[refines(crate::abs, x = count, y = count)]
pub mod m {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub limit: i64,
    }

    #[configs]
    impl Config {
        pub fn small() -> Self {
            Config { limit: 2 }
        }
    }

    #[state]
    pub struct State {
        pub count: i64,
    }

    #[init]
    fn init() -> State {
        State { count: 0 }
    }

    #[action]
    fn step(s: &mut State, c: &Config) {
        require!(s.count < c.limit);
        s.count += 1;
    }
}

fn main() {}
