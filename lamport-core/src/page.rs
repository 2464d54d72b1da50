//! `counterexample.html`: one self-contained page (no script, no font, nothing fetched) that
//! shows a counterexample so that a person understands it in a minute: what was violated and
//! what the property means, the message diagram (SVG drawn by [`crate::sequence`]), every step
//! with its action, what the action does and what it changed, and links to the ITF trace and
//! the summary beside it.

use std::fmt::Write as _;

use lamport_ir::Model as Ir;

use crate::report::{Outcome, Report, Trace};

/// What the page shows, gathered from a model and its report.
pub struct CounterexamplePage<'a> {
    pub report: &'a Report,
    pub trace: &'a Trace,
    /// The model's IR, for the properties' and actions' doc comments (optional).
    pub ir: Option<&'a Ir>,
    /// The configuration's constants, `(TLA+ name, printed value)`.
    pub constants: &'a [(&'a str, String)],
    /// The message diagram, as SVG, when the model declares its network.
    pub svg: Option<String>,
    /// Files beside the page it links to: `(file name, what it is)`.
    pub links: Vec<(String, String)>,
}

/// Escapes text for HTML.
pub fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A doc comment as HTML: escaped, with `code` spans.
pub fn doc_html(doc: &str) -> String {
    html(doc)
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_string()
            }
        })
        .collect()
}

/// The doc comment of the property (invariant, step property, reachability condition or
/// temporal property; an instance suffix `[v = v1]` is ignored) named `name` in TLA+.
pub fn property_doc(ir: &Ir, name: &str) -> Option<String> {
    let base = name.split(" [").next().unwrap_or(name);
    ir.invariants
        .iter()
        .chain(&ir.step_properties)
        .chain(&ir.reachables)
        .chain(ir.liveness.iter().map(|l| &l.op))
        .find(|o| o.tla == base)
        .map(|o| o.doc.trim().to_string())
        .filter(|d| !d.is_empty())
}

/// The doc comment of the action named `tla`.
pub fn action_doc(ir: &Ir, tla: &str) -> Option<String> {
    ir.actions
        .iter()
        .find(|a| a.tla == tla)
        .map(|a| a.doc.trim().to_string())
        .filter(|d| !d.is_empty())
}

/// The style shared by lamport's pages.
pub const STYLE: &str = r#"
:root { --ink: #1b1f24; --muted: #5b6470; --line: #d8dde3; --accent: #1f4e8c; --bad: #b22222; --bg: #fbfbfc; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header, main { max-width: 1180px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 18px; }
h1 { font-size: 22px; margin: 6px 0 4px; }
h2 { font-size: 17px; margin: 26px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 0; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
.verdict { background: #fdecea; border: 1px solid var(--bad); color: var(--bad); border-radius: 6px; padding: 10px 14px; font-weight: 600; margin: 12px 0 6px; }
.verdict.ok { background: #e9f6ec; border-color: #2e7d32; color: #2e7d32; }
.doc { color: var(--muted); margin: 4px 0; }
.meta { color: var(--muted); font-size: 14px; }
.meta a { color: var(--accent); }
.diagram { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
ol.steps { list-style: none; padding: 0; margin: 0; }
ol.steps > li { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; padding: 10px 14px; }
ol.steps > li.last { border-color: var(--bad); }
.num { color: var(--muted); font-weight: normal; margin-right: 6px; }
ul.changes { margin: 6px 0 0; padding-left: 18px; }
ul.changes li { margin: 2px 0; }
details { margin-top: 6px; }
summary { cursor: pointer; color: var(--muted); font-size: 13px; }
pre { margin: 6px 0 0; white-space: pre-wrap; word-break: break-word; }
table.props { border-collapse: collapse; width: 100%; background: #fff; }
table.props td, table.props th { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
.holds { color: #2e7d32; } .violated { color: var(--bad); font-weight: 600; } .unknown { color: var(--muted); }
"#;

/// The page.
pub fn counterexample_html(p: &CounterexamplePage<'_>) -> String {
    let r = p.report;
    let t = p.trace;
    let ending = r.outcome.ending(t.len());
    let mut s = String::new();
    let title = format!("Counterexample: {} (configuration {})", r.model, r.config);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n",
        html(&title),
        html(&title)
    );
    let _ = writeln!(
        s,
        "<p class=\"verdict\" id=\"verdict\">{}</p>",
        html(&ending)
    );
    let violated = r.violated_invariant();
    if let (Some(ir), Some(name)) = (p.ir, violated) {
        if let Some(doc) = property_doc(ir, name) {
            let _ = writeln!(
                s,
                "<p class=\"doc\"><b>{}</b>: {}</p>",
                html(name),
                doc_html(&doc)
            );
        }
    }
    let shape = match (&r.outcome, t.loop_start) {
        (_, Some(_)) => "a lasso: a prefix, then a cycle repeated forever".to_string(),
        (Outcome::ModelError { .. }, _) => "the behaviour that reached the error".to_string(),
        _ => "shortest".to_string(),
    };
    let _ = writeln!(
        s,
        "<p class=\"meta\">{} states ({shape}); found by lamport after {} distinct states, {} generated, depth {}.</p>",
        t.len(),
        r.distinct_states,
        r.generated_states,
        r.depth
    );
    if !p.constants.is_empty() {
        let cs: Vec<String> = p
            .constants
            .iter()
            .map(|(n, v)| format!("<code>{} = {}</code>", html(n), html(v)))
            .collect();
        let _ = writeln!(s, "<p class=\"meta\">Constants: {}</p>", cs.join(", "));
    }
    if !p.links.is_empty() {
        let ls: Vec<String> = p
            .links
            .iter()
            .map(|(f, what)| format!("<a href=\"{}\">{}</a> ({})", html(f), html(f), html(what)))
            .collect();
        let _ = writeln!(
            s,
            "<p class=\"meta\">Beside this page: {}</p>",
            ls.join(", ")
        );
    }
    s.push_str("</header>\n<main>\n");
    if let Some(svg) = &p.svg {
        let _ = writeln!(
            s,
            "<h2>Messages</h2>\n<p class=\"doc\">Who sent what to whom, through the network the model declares: each message is an arrow from the step that sends it to the step that first receives it; a dot marks each receipt.</p>\n<div class=\"diagram\" id=\"diagram\">\n{svg}</div>"
        );
    }
    let _ = writeln!(
        s,
        "<h2>Steps</h2>\n<p class=\"doc\">Each step names its action, says what the action does, and lists what it changed; the whole state is under \"state\".</p>\n<ol class=\"steps\" id=\"steps\">"
    );
    for (i, st) in t.states.iter().enumerate() {
        let last = i + 1 == t.len();
        let _ = write!(
            s,
            "<li id=\"state-{}\"{}>",
            i + 1,
            if last { " class=\"last\"" } else { "" }
        );
        let full: String = st
            .vars
            .iter()
            .map(|v| format!("/\\ {} = {}\n", v.name, v.tla))
            .collect();
        match (&st.action, i) {
            (Some(label), i) if i > 0 => {
                let params: Vec<String> = label
                    .params
                    .iter()
                    .map(|(n, v)| format!("{n} = {v}"))
                    .collect();
                let _ = write!(
                    s,
                    "<h3><span class=\"num\">State {}</span> <code>{}</code></h3>",
                    i + 1,
                    html(&label.to_string())
                );
                if !params.is_empty() {
                    let _ = write!(s, "<p class=\"doc mono\">{}</p>", html(&params.join(", ")));
                }
                if let Some(doc) = p.ir.and_then(|ir| action_doc(ir, &label.action)) {
                    let _ = write!(s, "<p class=\"doc\">{}</p>", doc_html(&doc));
                }
                let changes = t.step_changes(&t.states[i - 1], st);
                if changes.is_empty() {
                    s.push_str("<p class=\"doc\">No variable changed.</p>");
                } else {
                    s.push_str("<ul class=\"changes\">");
                    for c in changes {
                        let _ = write!(s, "<li><code>{}</code></li>", html(&c));
                    }
                    s.push_str("</ul>");
                }
                let _ = write!(
                    s,
                    "<details><summary>state</summary><pre>{}</pre></details>",
                    html(&full)
                );
            }
            _ => {
                let _ = write!(
                    s,
                    "<h3><span class=\"num\">State {}</span> Initial state</h3><pre>{}</pre>",
                    i + 1,
                    html(&full)
                );
            }
        }
        s.push_str("</li>\n");
    }
    s.push_str("</ol>\n");
    if let Some(label) = &t.failing_action {
        let _ = writeln!(
            s,
            "<p class=\"doc\">The model code panicked while evaluating <code>{}</code> in state {}.</p>",
            html(&label.to_string()),
            t.len()
        );
    }
    if let Some(k) = t.loop_start {
        let text = if k + 1 == t.len() {
            format!(
                "Then state {} repeats forever (the behaviour stutters).",
                t.len()
            )
        } else {
            format!(
                "Then the behaviour goes back to state {} and repeats from there forever.",
                k + 1
            )
        };
        let _ = writeln!(s, "<p class=\"verdict\" id=\"loop\">{}</p>", html(&text));
    }
    let _ = writeln!(s, "<p class=\"verdict\">{}</p>", html(&ending));
    s.push_str("</main>\n</body>\n</html>\n");
    s
}
