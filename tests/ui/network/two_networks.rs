// A model has one network.

#[lamport::model]
mod m {
    use lamport::prelude::*;

    model_values!(Node);

    #[constants]
    pub struct Config {
        pub nodes: Set<Node>,
        pub limit: i64,
    }

    #[configs]
    impl Config {
        pub fn small() -> Self {
            Config { nodes: Node::values(2), limit: 1 }
        }
    }

    #[derive(Value)]
    pub enum Msg {
        Ping { from: Node, to: Node },
        Pong { from: Node, to: Node },
        Hello,
    }

    #[state]
    pub struct State {
        #[network(from -> to, Hello: "a" -> c.nodes)]
        pub msgs: Set<Msg>,
        #[network(from -> to, Hello: "a" -> c.nodes)]
        pub more: Set<Msg>,
        pub sent: i64,
    }

    #[init]
    fn init(c: &Config) -> State {
        State {
            msgs: Set::new(),
            more: Set::new(),
            sent: 0,
        }
    }

    #[action(a in c.nodes, b in c.nodes)]
    fn ping(s: &mut State, c: &Config, a: Node, b: Node) {
        require!(s.sent < c.limit);
        s.sent += 1;
    }
}

fn main() {}
