//! TLA+ values as lamport and TLC print them, read back into a tree: what traces, diffs and
//! message diagrams work on, whichever checker printed the trace.
//!
//! The notation is the one of `Value::tla` (and of TLC's trace output): `TRUE`, `-3`, `"text"`,
//! model values (`r1`), sets `{a, b}`, sequences and tuples `<<a, b>>`, records
//! `[f |-> a, g |-> b]`, functions `(k1 :> v1 @@ k2 :> v2)` and intervals `1..3` (TLC prints some
//! sets of integers that way). Whitespace, line breaks included, is insignificant outside
//! strings, since TLC breaks long values over several lines.

use std::fmt::Write as _;

/// A TLA+ value read from its printed form.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TlaValue {
    /// A Boolean, an integer, a string (with its quotes) or a model value, as printed.
    Atom(String),
    Set(Vec<TlaValue>),
    /// A sequence or tuple (also an empty function: `<<>>`).
    Seq(Vec<TlaValue>),
    /// A record: field names and values, in printed order.
    Record(Vec<(String, TlaValue)>),
    /// A function printed with `:>` and `@@`: its domain's elements and their images.
    Func(Vec<(TlaValue, TlaValue)>),
}

impl TlaValue {
    /// Reads a printed value; `None` if `text` is not one (the caller then shows it as text).
    pub fn parse(text: &str) -> Option<TlaValue> {
        let mut p = Parser {
            s: text.as_bytes(),
            i: 0,
        };
        let v = p.value()?;
        p.skip_ws();
        (p.i == p.s.len()).then_some(v)
    }

    /// The value printed on one line, in lamport's notation.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            TlaValue::Atom(a) => out.push_str(a),
            TlaValue::Set(xs) => write_list(out, "{", "}", xs),
            TlaValue::Seq(xs) => write_list(out, "<<", ">>", xs),
            TlaValue::Record(fs) => {
                out.push('[');
                for (i, (k, v)) in fs.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "{k} |-> ");
                    v.write(out);
                }
                out.push(']');
            }
            TlaValue::Func(es) => {
                out.push('(');
                for (i, (k, v)) in es.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" @@ ");
                    }
                    k.write(out);
                    out.push_str(" :> ");
                    v.write(out);
                }
                out.push(')');
            }
        }
    }

    /// The entries of a function-like value: a function, a record (by field name, as a string
    /// atom) or a sequence (by 1-based index, as TLA+ indexes it). `None` for other values.
    pub fn entries(&self) -> Option<Vec<(TlaValue, &TlaValue)>> {
        match self {
            TlaValue::Func(es) => Some(es.iter().map(|(k, v)| (k.clone(), v)).collect()),
            TlaValue::Record(fs) => Some(
                fs.iter()
                    .map(|(k, v)| (TlaValue::Atom(k.clone()), v))
                    .collect(),
            ),
            TlaValue::Seq(xs) => Some(
                xs.iter()
                    .enumerate()
                    .map(|(i, v)| (TlaValue::Atom((i + 1).to_string()), v))
                    .collect(),
            ),
            _ => None,
        }
    }

    /// The field `name` of a record.
    pub fn field(&self, name: &str) -> Option<&TlaValue> {
        match self {
            TlaValue::Record(fs) => fs.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The image of `key` under a function (or a sequence, for an integer key).
    pub fn apply(&self, key: &TlaValue) -> Option<&TlaValue> {
        match self {
            TlaValue::Func(es) => es.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            TlaValue::Seq(xs) => {
                let TlaValue::Atom(a) = key else { return None };
                let i: usize = a.parse().ok()?;
                xs.get(i.checked_sub(1)?)
            }
            _ => None,
        }
    }

    /// The elements of a set or a sequence (an empty function has none).
    pub fn elements(&self) -> Option<&[TlaValue]> {
        match self {
            TlaValue::Set(xs) | TlaValue::Seq(xs) => Some(xs),
            TlaValue::Func(es) if es.is_empty() => Some(&[]),
            _ => None,
        }
    }

    /// The integer an atom denotes.
    pub fn as_int(&self) -> Option<i128> {
        match self {
            TlaValue::Atom(a) => a.parse().ok(),
            _ => None,
        }
    }
}

impl std::fmt::Display for TlaValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

fn write_list(out: &mut String, open: &str, close: &str, xs: &[TlaValue]) {
    out.push_str(open);
    for (i, x) in xs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        x.write(out);
    }
    out.push_str(close);
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn eat(&mut self, tok: &str) -> bool {
        self.skip_ws();
        if self.s[self.i..].starts_with(tok.as_bytes()) {
            self.i += tok.len();
            true
        } else {
            false
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.get(self.i).copied()
    }

    /// `a, b, c` up to `close` (consumed).
    fn list(&mut self, close: &str) -> Option<Vec<TlaValue>> {
        let mut xs = Vec::new();
        if self.eat(close) {
            return Some(xs);
        }
        loop {
            xs.push(self.value()?);
            if self.eat(close) {
                return Some(xs);
            }
            if !self.eat(",") {
                return None;
            }
        }
    }

    fn value(&mut self) -> Option<TlaValue> {
        let v = self.primary()?;
        // `1..3`: an interval.
        if let (TlaValue::Atom(_), true) = (&v, self.eat("..")) {
            let (lo, hi) = (v.as_int()?, self.primary()?.as_int()?);
            return Some(TlaValue::Set(
                (lo..=hi).map(|n| TlaValue::Atom(n.to_string())).collect(),
            ));
        }
        Some(v)
    }

    fn primary(&mut self) -> Option<TlaValue> {
        match self.peek()? {
            b'{' => {
                self.i += 1;
                Some(TlaValue::Set(self.list("}")?))
            }
            b'<' if self.eat("<<") => Some(TlaValue::Seq(self.list(">>")?)),
            b'[' => {
                self.i += 1;
                let mut fs = Vec::new();
                if self.eat("]") {
                    return Some(TlaValue::Record(fs));
                }
                loop {
                    let name = self.word()?;
                    if !self.eat("|->") {
                        return None;
                    }
                    fs.push((name, self.value()?));
                    if self.eat("]") {
                        return Some(TlaValue::Record(fs));
                    }
                    if !self.eat(",") {
                        return None;
                    }
                }
            }
            b'(' => {
                self.i += 1;
                let mut es = Vec::new();
                loop {
                    let k = self.value()?;
                    if !self.eat(":>") {
                        // A parenthesised value.
                        return (es.is_empty() && self.eat(")")).then_some(k);
                    }
                    es.push((k, self.value()?));
                    if self.eat(")") {
                        return Some(TlaValue::Func(es));
                    }
                    if !self.eat("@@") {
                        return None;
                    }
                }
            }
            b'"' => {
                let start = self.i;
                self.i += 1;
                while self.i < self.s.len() && self.s[self.i] != b'"' {
                    if self.s[self.i] == b'\\' {
                        self.i += 1;
                    }
                    self.i += 1;
                }
                self.i += 1;
                (self.i <= self.s.len()).then(|| {
                    TlaValue::Atom(String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
                })
            }
            b'-' | b'0'..=b'9' => {
                let start = self.i;
                self.i += 1;
                while self.i < self.s.len() && self.s[self.i].is_ascii_digit() {
                    self.i += 1;
                }
                let text = std::str::from_utf8(&self.s[start..self.i]).ok()?;
                text.parse::<i128>()
                    .ok()
                    .map(|_| TlaValue::Atom(text.to_string()))
            }
            _ => self.word().map(TlaValue::Atom),
        }
    }

    /// An identifier: a model value, `TRUE`, `FALSE`, a record field.
    fn word(&mut self) -> Option<String> {
        self.skip_ws();
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_')
        {
            self.i += 1;
        }
        (self.i > start).then(|| String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(s: &str) {
        let v = TlaValue::parse(s).unwrap_or_else(|| panic!("cannot parse {s}"));
        assert_eq!(v.render(), s);
    }

    #[test]
    fn lamport_s_renderings_read_back() {
        for s in [
            "TRUE",
            "-3",
            "\"a, \\\"b\\\"\"",
            "r1",
            "{}",
            "{r1, r2}",
            "<<>>",
            "<<1, <<2, 3>>>>",
            "[type |-> \"prepared\", rm |-> r1]",
            "(r1 :> \"working\" @@ r2 :> \"prepared\")",
            "(s1 :> (s1 :> 1 @@ s2 :> 1) @@ s2 :> (s1 :> 1 @@ s2 :> 1))",
            "([term |-> 1, source |-> s1] :> 2)",
        ] {
            round_trip(s);
        }
    }

    #[test]
    fn tlc_s_line_breaks_and_intervals_are_read() {
        let v = TlaValue::parse("(r1 :> \"working\" @@\n   r2 :> \"working\")").unwrap();
        assert_eq!(v.render(), "(r1 :> \"working\" @@ r2 :> \"working\")");
        assert_eq!(TlaValue::parse("1..3").unwrap().render(), "{1, 2, 3}");
        assert_eq!(TlaValue::parse("(1)").unwrap().render(), "1");
        assert!(TlaValue::parse("{1, ").is_none());
        assert!(TlaValue::parse("[a |-> ]").is_none());
    }

    #[test]
    fn entries_index_functions_records_and_sequences() {
        let f = TlaValue::parse("(r1 :> 1 @@ r2 :> 2)").unwrap();
        assert_eq!(
            f.apply(&TlaValue::Atom("r2".into())),
            Some(&TlaValue::Atom("2".into()))
        );
        let s = TlaValue::parse("<<7, 8>>").unwrap();
        assert_eq!(
            s.apply(&TlaValue::Atom("2".into())),
            Some(&TlaValue::Atom("8".into()))
        );
        let r = TlaValue::parse("[a |-> 1]").unwrap();
        assert_eq!(r.field("a"), Some(&TlaValue::Atom("1".into())));
    }
}
