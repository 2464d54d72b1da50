//! A chain-replicated key-value store (van Renesse and Schneider, OSDI 2004), with servers as
//! state machines exchanging messages over an in-memory network whose delivery order, losses
//! and crashes the caller controls.
//!
//! Servers form a chain. A client's update goes to the head, which applies it and forwards it
//! down the chain over a reliable FIFO link; each server applies what it receives and forwards
//! it on; the tail acknowledges each update it applies to the client (over an unreliable,
//! unordered datagram link). Reads go to the tail, so a read reflects exactly the updates that
//! are acknowledged or about to be. Every server keeps its log of applied updates; a server's
//! forward pointer says how much of it its successor has been sent.
//!
//! A chain manager handles crashes (fail-stop): it removes the crashed server from the chain;
//! a crashed head's successor becomes head; a crashed tail's predecessor becomes tail and
//! acknowledges everything it holds; after a middle server crashes, its predecessor learns how
//! much of its log the new successor has applied and resends the rest.
//!
//! Everything is driven from outside, one step at a time ([`Cluster`]), so that a test decides
//! the interleaving: which server forwards, which message is delivered or lost, which server
//! crashes. Every step that changes the store's state is recorded in an [`EventLog`] in the
//! JSON-lines trace format lamport's `validate-trace` reads, named after the actions of the
//! `chain_replication` specification.
//!
//! [`Options::bug`] reintroduces one of two known bugs (the specification's bug zoo): a
//! predecessor that does not resend after a middle server crashes ([`Bug::NoResend`]), and
//! reads served by the head instead of the tail ([`Bug::ReadFromHead`]).

mod client;
mod cluster;
mod log;
mod manager;
mod network;
mod server;

pub use client::Client;
pub use cluster::{Cluster, Operation, ReadResult};
pub use log::EventLog;
pub use manager::{ChainManager, Reconfiguration};
pub use network::{Endpoint, Envelope, EnvelopeId, Message, Network};
pub use server::{Server, Snapshot};

/// A server's identity; servers are numbered `1..=n` in their chain order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServerId(pub u32);

impl std::fmt::Display for ServerId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "s{}", self.0)
    }
}

/// An update's number: the client numbers its updates `1, 2, ...`.
pub type UpdateId = u64;

/// One write: set `key` to `value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Update {
    pub id: UpdateId,
    pub key: String,
    pub value: String,
}

/// A known bug to reintroduce, for testing the tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bug {
    /// After a middle server crashes, its predecessor keeps its forward pointer instead of
    /// resending what the new successor has not applied: an update is skipped.
    NoResend,
    /// The client reads from the head (the "nearest" replica) instead of the tail: a read can
    /// return an update that a crash of the head would lose.
    ReadFromHead,
}

/// How to build a cluster.
#[derive(Clone, Debug)]
pub struct Options {
    /// Servers in the chain (at least one).
    pub servers: u32,
    /// A bug to reintroduce, or none.
    pub bug: Option<Bug>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            servers: 3,
            bug: None,
        }
    }
}

/// Why an operation cannot be carried out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// No server has this identity.
    UnknownServer(ServerId),
    /// The server has crashed.
    Crashed(ServerId),
    /// The server is the tail: it has no successor to forward to.
    NoSuccessor(ServerId),
    /// The server has forwarded its whole log.
    NothingToForward(ServerId),
    /// No message is in flight to this server.
    NothingInFlight(ServerId),
    /// No acknowledgement of this update is in flight to the client.
    NoAckInFlight(UpdateId),
    /// No such message is in flight, or it must wait for an earlier one on its ordered link.
    NotDeliverable(EnvelopeId),
    /// Messages on reliable links are not lost (the links between servers are reliable).
    ReliableLink(EnvelopeId),
    /// The chain would be empty.
    LastServer(ServerId),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::UnknownServer(s) => write!(f, "there is no server {s}"),
            Error::Crashed(s) => write!(f, "server {s} has crashed"),
            Error::NoSuccessor(s) => write!(f, "server {s} is the tail and forwards to no one"),
            Error::NothingToForward(s) => write!(f, "server {s} has forwarded its whole log"),
            Error::NothingInFlight(s) => write!(f, "no message is in flight to server {s}"),
            Error::NoAckInFlight(u) => {
                write!(
                    f,
                    "no acknowledgement of update {u} is in flight to the client"
                )
            }
            Error::NotDeliverable(e) => write!(
                f,
                "message {} is not in flight or must wait for an earlier one on its link",
                e.0
            ),
            Error::ReliableLink(e) => write!(
                f,
                "message {} is on a reliable link between servers and cannot be lost",
                e.0
            ),
            Error::LastServer(s) => write!(f, "server {s} is the last one in the chain"),
        }
    }
}

impl std::error::Error for Error {}
