//! A model's network, as it declares it with `#[network(...)]` on the state field that holds
//! its messages: where messages are, and who sends each message to whom. Message diagrams are
//! drawn from this declaration and nothing else, so they are right by construction.

use serde::{Deserialize, Serialize};

use crate::Type;

/// The declared network of a model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Network {
    /// The state field holding the messages (Rust name).
    pub field: String,
    /// The field's TLA+ name (as traces name it).
    pub tla: String,
    /// How the field holds them, from its type.
    pub kind: NetworkKind,
    /// The type of a message.
    pub message: Type,
    /// Who sends each message to whom: a route for every message (`variant: None`) and routes
    /// for single variants of an enum message, which take precedence.
    pub routes: Vec<Route>,
    /// Actions (Rust names) that lose messages: a message they take out is lost, not received.
    #[serde(default)]
    pub loses: Vec<String>,
    /// Actions (Rust names) that duplicate messages: a copy they add is a duplicate, not sent.
    #[serde(default)]
    pub duplicates: Vec<String>,
}

/// How the network's field holds its messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NetworkKind {
    /// `Set<Msg>`: a message stays once sent, and may be received any number of times.
    Set,
    /// `Map<Msg, integer>`: a bag, each message with its number of copies in flight.
    Bag,
    /// `Seq<Msg>`: one queue, oldest first.
    Queue,
    /// `Map<K, Seq<Msg>>`: one queue per channel `K`.
    Channels,
    /// `Map<K, Set<Msg>>`: one set of messages per channel `K`.
    ChannelSets,
}

/// The sender and the receiver of some messages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Route {
    /// The enum variant this route is for (`None`: every message without a route of its own).
    pub variant: Option<String>,
    pub sender: Endpoint,
    pub receiver: Endpoint,
}

/// One end of a message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Endpoint {
    /// A field of the message (Rust name), whose value is the participant.
    Field { name: String, label: Option<String> },
    /// The channel's key (`key`), or one component of a tuple key (`key.0`).
    Key {
        index: Option<u32>,
        label: Option<String>,
    },
    /// A participant that is not a value of the model: `"TM"`.
    Fixed(String),
    /// Every value of a constants field (Rust name), a set: a message to all of them.
    Every { constant: String },
    /// The parameter (by name) of the action that sends or receives the message.
    Param { name: String, label: Option<String> },
}

impl Endpoint {
    /// The word integer participants are labelled with (`server 2`), if the declaration gives
    /// one (`key as "server"`).
    pub fn label(&self) -> Option<&str> {
        match self {
            Endpoint::Field { label, .. }
            | Endpoint::Key { label, .. }
            | Endpoint::Param { label, .. } => label.as_deref(),
            Endpoint::Fixed(_) | Endpoint::Every { .. } => None,
        }
    }
}

impl Network {
    /// The route of messages of enum variant `variant` (or of a struct message: `None`).
    pub fn route(&self, variant: Option<&str>) -> Option<&Route> {
        self.routes
            .iter()
            .find(|r| r.variant.is_some() && r.variant.as_deref() == variant)
            .or_else(|| self.routes.iter().find(|r| r.variant.is_none()))
    }
}
