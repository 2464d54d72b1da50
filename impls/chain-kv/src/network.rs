//! An in-memory network. Links between two servers are reliable FIFO streams (as TCP
//! connections are): only the oldest message on a link can be delivered, and none is lost while
//! both ends are up. Links to the client are datagrams: delivered in any order, or lost. A crash
//! breaks every link of the crashed endpoint: what was in flight on them is gone.

use crate::{Error, ServerId, Update, UpdateId};

/// One end of a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Endpoint {
    Server(ServerId),
    Client,
}

/// What servers send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// An update forwarded down the chain.
    Update(Update),
    /// The tail's acknowledgement of an update, to the client.
    Ack(UpdateId),
}

/// A message's identity while in flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EnvelopeId(pub u64);

/// A message in flight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    pub id: EnvelopeId,
    pub from: Endpoint,
    pub to: Endpoint,
    pub message: Message,
}

impl Envelope {
    /// Whether it travels on a reliable FIFO link (server to server).
    pub fn is_ordered(&self) -> bool {
        matches!(
            (self.from, self.to),
            (Endpoint::Server(_), Endpoint::Server(_))
        )
    }
}

/// The messages in flight, in the order they were sent.
#[derive(Clone, Debug, Default)]
pub struct Network {
    in_flight: Vec<Envelope>,
    next_id: u64,
}

impl Network {
    pub fn new() -> Self {
        Network::default()
    }

    /// Puts a message in flight.
    pub fn send(&mut self, from: Endpoint, to: Endpoint, message: Message) -> EnvelopeId {
        self.next_id += 1;
        let id = EnvelopeId(self.next_id);
        self.in_flight.push(Envelope {
            id,
            from,
            to,
            message,
        });
        id
    }

    /// Every message in flight, oldest first.
    pub fn in_flight(&self) -> &[Envelope] {
        &self.in_flight
    }

    /// The messages in flight to `to`, oldest first.
    pub fn in_flight_to(&self, to: Endpoint) -> impl Iterator<Item = &Envelope> {
        self.in_flight.iter().filter(move |e| e.to == to)
    }

    /// Whether `e` may be delivered now: any datagram; on an ordered link, only the oldest.
    fn is_deliverable(&self, e: &Envelope) -> bool {
        !e.is_ordered()
            || self
                .in_flight
                .iter()
                .find(|o| o.from == e.from && o.to == e.to)
                .is_some_and(|first| first.id == e.id)
    }

    /// The messages that may be delivered now.
    pub fn deliverable(&self) -> Vec<EnvelopeId> {
        self.in_flight
            .iter()
            .filter(|e| self.is_deliverable(e))
            .map(|e| e.id)
            .collect()
    }

    /// Takes message `id` out of the network for delivery.
    pub fn take(&mut self, id: EnvelopeId) -> Result<Envelope, Error> {
        let at = self
            .in_flight
            .iter()
            .position(|e| e.id == id)
            .filter(|&i| self.is_deliverable(&self.in_flight[i]))
            .ok_or(Error::NotDeliverable(id))?;
        Ok(self.in_flight.remove(at))
    }

    /// Loses datagram `id`.
    pub fn lose(&mut self, id: EnvelopeId) -> Result<(), Error> {
        let at = self
            .in_flight
            .iter()
            .position(|e| e.id == id)
            .ok_or(Error::NotDeliverable(id))?;
        if self.in_flight[at].is_ordered() {
            return Err(Error::ReliableLink(id));
        }
        self.in_flight.remove(at);
        Ok(())
    }

    /// Breaks every link of `endpoint`: the messages in flight from or to it are gone.
    pub fn disconnect(&mut self, endpoint: Endpoint) {
        self.in_flight
            .retain(|e| e.from != endpoint && e.to != endpoint);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(id: UpdateId) -> Message {
        Message::Update(Update {
            id,
            key: "k".into(),
            value: "v".into(),
        })
    }

    #[test]
    fn ordered_links_deliver_oldest_first_and_datagrams_in_any_order() {
        let mut net = Network::new();
        let (a, b) = (Endpoint::Server(ServerId(1)), Endpoint::Server(ServerId(2)));
        let first = net.send(a, b, update(1));
        let second = net.send(a, b, update(2));
        let ack1 = net.send(b, Endpoint::Client, Message::Ack(1));
        let ack2 = net.send(b, Endpoint::Client, Message::Ack(2));
        assert_eq!(net.deliverable(), vec![first, ack1, ack2]);
        assert_eq!(net.take(second), Err(Error::NotDeliverable(second)));
        assert_eq!(net.lose(first), Err(Error::ReliableLink(first)));
        assert_eq!(net.take(ack2).unwrap().message, Message::Ack(2));
        net.lose(ack1).unwrap();
        assert_eq!(net.take(first).unwrap().message, update(1));
        assert_eq!(net.deliverable(), vec![second]);
        net.disconnect(a);
        assert!(net.in_flight().is_empty());
    }
}
