//! Message diagrams of a trace: who sent what to whom, as a Mermaid sequence diagram (for
//! Markdown) and as an SVG drawn here (for `counterexample.html`, which must not fetch a
//! script to draw it).
//!
//! Both draw the [`Flow`] read through the model's declared network (see [`crate::network`]):
//! the participants are the values of the node sets the routes name (and the fixed names they
//! give); each message sent is one arrow from its sender to its receiver (one per receiver, for
//! a message to every value of a set), labelled `m1`, `m2`, ... in order of sending; a step that
//! receives a message, loses it or duplicates it is marked where it happens; a step that does
//! neither is a note over its participant. A model that declares no network gets no diagram.

use std::fmt::Write as _;

use lamport_ir::Model as Ir;

use crate::network::{message_flow, Event, Flow};
use crate::report::Trace;

/// The Mermaid sequence diagram of `trace` (without the surrounding fence), or `None` when the
/// model declares no network or no message is sent or received in the trace. `constants` are
/// the configuration's `(TLA+ name, printed value)` pairs; `ending` (e.g. "Invariant
/// TCConsistent is violated in state 6.") becomes a note after the last step.
pub fn sequence_diagram(
    ir: &Ir,
    constants: &[(&str, String)],
    trace: &Trace,
    ending: Option<&str>,
) -> Option<String> {
    Some(message_flow(ir, constants, trace)?.to_mermaid(ending))
}

/// The same diagram as a standalone SVG document.
pub fn sequence_svg(
    ir: &Ir,
    constants: &[(&str, String)],
    trace: &Trace,
    ending: Option<&str>,
) -> Option<String> {
    Some(message_flow(ir, constants, trace)?.to_svg(ending))
}

/// Text that Mermaid shows as written: no statement separators, comments, entity codes or
/// things an HTML sanitizer would take for tags.
fn mermaid_text(s: &str) -> String {
    s.replace("<<", "⟨")
        .replace(">>", "⟩")
        .replace(';', ",")
        .replace('#', "no. ")
        .replace('"', "")
        .replace('<', "‹")
        .replace('>', "›")
        .replace('\n', " ")
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// At most `n` characters, with an ellipsis when cut.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

impl Flow {
    fn id(&self, p: usize) -> String {
        format!("P{}", p + 1)
    }

    fn span_all(&self) -> String {
        let last = self.participants.len().saturating_sub(1);
        if last == 0 {
            self.id(0)
        } else {
            format!("{},{}", self.id(0), self.id(last))
        }
    }

    /// The note's participant for an event on message `m` that has no receiver of its own.
    fn near(&self, m: usize) -> usize {
        self.messages[m]
            .to
            .first()
            .copied()
            .unwrap_or(self.messages[m].from)
    }

    /// The diagram in Mermaid's `sequenceDiagram` syntax.
    pub fn to_mermaid(&self, ending: Option<&str>) -> String {
        let mut out = String::from("sequenceDiagram\n");
        for (i, p) in self.participants.iter().enumerate() {
            let _ = writeln!(out, "    participant {} as {}", self.id(i), mermaid_text(p));
        }
        for step in &self.steps {
            let action = mermaid_text(&step.action);
            let mut sends = Vec::new();
            for e in &step.events {
                match *e {
                    Event::Receive { message, by, .. } => {
                        let note = if step.param_messages.contains(&message) {
                            action.clone()
                        } else {
                            format!("{action} ← m{}", message + 1)
                        };
                        let _ = writeln!(out, "    Note over {}: {note}", self.id(by));
                    }
                    Event::Lose { message } => {
                        let _ = writeln!(
                            out,
                            "    Note over {}: m{} lost ({action})",
                            self.id(self.near(message)),
                            message + 1
                        );
                    }
                    Event::Duplicate { message } => {
                        let _ = writeln!(
                            out,
                            "    Note over {}: m{} duplicated ({action})",
                            self.id(self.near(message)),
                            message + 1
                        );
                    }
                    Event::Send { message } => sends.push(message),
                }
            }
            for m in sends {
                let msg = &self.messages[m];
                let text = format!("m{} {}", m + 1, mermaid_text(&msg.label));
                if msg.to.is_empty() {
                    let _ = writeln!(out, "    Note over {}: sends {text}", self.id(msg.from));
                }
                for &t in &msg.to {
                    let _ = writeln!(out, "    {}->>{}: {text}", self.id(msg.from), self.id(t));
                }
            }
            if step.events.is_empty() {
                let over = step.actor.map_or_else(|| self.span_all(), |a| self.id(a));
                let _ = writeln!(out, "    Note over {over}: {action}");
            }
        }
        if let Some(end) = ending {
            let _ = writeln!(
                out,
                "    Note over {}: {}",
                self.span_all(),
                mermaid_text(end)
            );
        }
        out
    }

    /// The diagram as an SVG document: lifelines, one row per step, messages as arrows from the
    /// step that sends them to the step that first receives them (a Lamport diagram).
    pub fn to_svg(&self, ending: Option<&str>) -> String {
        const ROW: f64 = 40.0;
        const HEAD: f64 = 56.0;
        const CHAR: f64 = 7.0;
        let label_w = self
            .steps
            .iter()
            .map(|s| clip(&s.action, 40).chars().count() + 4)
            .max()
            .unwrap_or(10) as f64
            * CHAR
            + 16.0;
        let col_w = self
            .participants
            .iter()
            .map(|p| p.chars().count() as f64 * CHAR + 40.0)
            .fold(150.0, f64::max);
        let x = |p: usize| label_w + col_w * (p as f64 + 0.5);
        let y = |step: usize| HEAD + ROW * (step as f64 + 0.75);
        let rows = self.steps.len() as f64 + 0.5;
        let end_h = if ending.is_some() { 44.0 } else { 0.0 };
        let width = label_w + col_w * self.participants.len() as f64 + 20.0;
        let height = HEAD + ROW * rows + end_h + 10.0;
        let mut s = String::new();
        let _ = writeln!(
            s,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" font-size="12" role="img" aria-label="message diagram">
<defs>
<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#1f4e8c"/></marker>
<marker id="open" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10" fill="none" stroke="#888"/></marker>
</defs>"##
        );
        // Participants and lifelines.
        for (i, p) in self.participants.iter().enumerate() {
            let cx = x(i);
            let w = p.chars().count() as f64 * CHAR + 20.0;
            let _ = writeln!(
                s,
                r##"<g class="participant"><rect x="{:.1}" y="8" width="{w:.1}" height="26" rx="4" fill="#eef3fb" stroke="#1f4e8c"/><text x="{cx:.1}" y="25" text-anchor="middle" font-weight="bold">{}</text><line x1="{cx:.1}" y1="34" x2="{cx:.1}" y2="{:.1}" stroke="#9bb" stroke-dasharray="4 3"/></g>"##,
                cx - w / 2.0,
                xml(p),
                HEAD + ROW * rows
            );
        }
        // Steps: their labels on the left, and what happens on the lifelines.
        for (i, st) in self.steps.iter().enumerate() {
            let yy = y(i);
            if i % 2 == 0 {
                let _ = writeln!(
                    s,
                    r##"<rect x="0" y="{:.1}" width="{width:.0}" height="{ROW}" fill="#f7f7f7"/>"##,
                    yy - ROW * 0.5
                );
            }
            let _ = writeln!(
                s,
                r##"<text class="step" x="6" y="{:.1}"><tspan fill="#777">{}</tspan> {}<title>{}</title></text>"##,
                yy + 4.0,
                st.state,
                xml(&clip(&st.action, 40)),
                xml(&st.full_action)
            );
            if st.events.is_empty() {
                let (cx, w) = match st.actor {
                    Some(a) => (
                        x(a),
                        clip(&st.action, 28).chars().count() as f64 * CHAR + 14.0,
                    ),
                    None => (
                        label_w + col_w * self.participants.len() as f64 / 2.0,
                        clip(&st.action, 60).chars().count() as f64 * CHAR + 14.0,
                    ),
                };
                let text = if st.actor.is_some() {
                    clip(&st.action, 28)
                } else {
                    clip(&st.action, 60)
                };
                let _ = writeln!(
                    s,
                    r##"<g class="note"><rect x="{:.1}" y="{:.1}" width="{w:.1}" height="20" rx="3" fill="#fff8dc" stroke="#c9a227"/><text x="{cx:.1}" y="{:.1}" text-anchor="middle">{}</text></g>"##,
                    cx - w / 2.0,
                    yy - 10.0,
                    yy + 4.0,
                    xml(&text)
                );
            }
        }
        // Messages: each labelled where it is sent; one arrow per receiver that receives it,
        // from the send to the first receipt; a message to one receiver that is lost or never
        // received is a dashed stub towards it.
        let last = self.participants.len().saturating_sub(1);
        let mut labels_at: Vec<(usize, usize)> = Vec::new();
        for (m, msg) in self.messages.iter().enumerate() {
            let Some(sent) = msg.sent else { continue };
            let mut text = format!("m{} {}", m + 1, msg.label);
            if msg.to.len() > 1 {
                let to: Vec<&str> = msg
                    .to
                    .iter()
                    .map(|&t| self.participants[t].as_str())
                    .collect();
                text = format!("{text} → {}", to.join(", "));
            }
            let (x1, y1) = (x(msg.from), y(sent));
            // Several messages sent by one participant in one step: one label under the other.
            let nth = labels_at.iter().filter(|&&k| k == (sent, msg.from)).count();
            labels_at.push((sent, msg.from));
            let right = msg.from < last;
            let _ = writeln!(
                s,
                r##"<g class="message"><title>m{} {}</title><text class="sent" x="{:.1}" y="{:.1}" text-anchor="{}" fill="#1f4e8c" paint-order="stroke" stroke="#fff" stroke-width="3">{}</text></g>"##,
                m + 1,
                xml(&msg.value),
                if right { x1 + 8.0 } else { x1 - 8.0 },
                y1 - 6.0 + 12.0 * nth as f64,
                if right { "start" } else { "end" },
                xml(&clip(&text, (col_w * 1.6 / CHAR) as usize))
            );
            for &to in &msg.to {
                let mut end = None;
                for (j, st) in self.steps.iter().enumerate().skip(sent + 1) {
                    for e in &st.events {
                        match *e {
                            Event::Receive { message, by, .. } if message == m && by == to => {
                                end = end.or(Some((j, false)));
                            }
                            Event::Lose { message } if message == m => {
                                end = end.or(Some((j, true)));
                            }
                            _ => {}
                        }
                    }
                }
                let (x2, y2, style, status) = match end {
                    Some((j, false)) => (
                        x(to),
                        y(j),
                        r##"stroke="#1f4e8c" marker-end="url(#arrow)""##,
                        format!("received at state {}", self.steps[j].state),
                    ),
                    Some((j, true)) => (
                        x1 + (x(to) - x1) * 0.6,
                        y(j),
                        r##"stroke="#b22" stroke-dasharray="5 3""##,
                        format!("lost at state {}", self.steps[j].state),
                    ),
                    // A message to several that this one never received: its label says it.
                    None if msg.to.len() > 1 => continue,
                    None => (
                        x1 + (x(to) - x1) * 0.6,
                        y1 + ROW * 0.6,
                        r##"stroke="#888" stroke-dasharray="5 3" marker-end="url(#open)""##,
                        "not received in this trace".to_string(),
                    ),
                };
                let _ = write!(
                    s,
                    r##"<g class="arrow"><title>m{} to {} — {status}</title><line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke-width="1.5" {style}/>"##,
                    m + 1,
                    xml(&self.participants[to]),
                );
                if let Some((_, true)) = end {
                    let _ = write!(
                        s,
                        r##"<text x="{x2:.1}" y="{:.1}" text-anchor="middle" fill="#b22" font-size="16">✗</text><text x="{x2:.1}" y="{:.1}" text-anchor="middle" fill="#b22">lost</text>"##,
                        y2 + 5.0,
                        y2 + 18.0
                    );
                }
                s.push_str("</g>\n");
            }
        }
        // Receipts and duplicates, on the lifeline where they happen.
        for (j, st) in self.steps.iter().enumerate() {
            for e in &st.events {
                match *e {
                    Event::Receive { message, by, .. } => {
                        let _ = writeln!(
                            s,
                            r##"<g class="receipt"><circle cx="{:.1}" cy="{:.1}" r="4" fill="#1f4e8c"/><text x="{:.1}" y="{:.1}" fill="#555" font-size="10">m{}</text></g>"##,
                            x(by),
                            y(j),
                            x(by) + 6.0,
                            y(j) + 13.0,
                            message + 1
                        );
                    }
                    Event::Duplicate { message } => {
                        let at = self.near(message);
                        let _ = writeln!(
                            s,
                            r##"<g class="duplicate"><text x="{:.1}" y="{:.1}" fill="#8a5a00">m{} duplicated</text></g>"##,
                            x(at) + 6.0,
                            y(j) + 4.0,
                            message + 1
                        );
                    }
                    _ => {}
                }
            }
        }
        if let Some(end) = ending {
            let top = HEAD + ROW * rows + 4.0;
            let _ = writeln!(
                s,
                r##"<g class="ending"><rect x="{label_w:.1}" y="{top:.1}" width="{:.1}" height="32" rx="4" fill="#fdecea" stroke="#b22"/><text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#b22" font-weight="bold">{}</text></g>"##,
                col_w * self.participants.len() as f64,
                label_w + col_w * self.participants.len() as f64 / 2.0,
                top + 20.0,
                xml(end)
            );
        }
        s.push_str("</svg>\n");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_each_target() {
        assert_eq!(mermaid_text("<<a; #b>>"), "⟨a, no. b⟩");
        assert_eq!(xml("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abc", 4), "abc");
    }
}
