//! The docs say what the code does: docs/language.md's table of methods is the operations table
//! of the language (`lamport::ir::ops`), rendered. Regenerate it with
//! `LAMPORT_UPDATE_DOCS=1 cargo test --test docs`.

const BEGIN: &str = "<!-- methods: generated from lamport_ir::ops by tests/docs.rs -->\n";
const END: &str = "<!-- end of methods -->";

#[test]
fn the_language_docs_list_every_operation_of_the_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/language.md");
    let text = std::fs::read_to_string(path).unwrap();
    let start = text
        .find(BEGIN)
        .expect("docs/language.md has the methods table marker")
        + BEGIN.len();
    let end = start
        + text[start..]
            .find(END)
            .expect("the methods table ends with its marker");
    let table = lamport::ir::ops::docs_table();
    if std::env::var_os("LAMPORT_UPDATE_DOCS").is_some() {
        let updated = format!("{}{}{}", &text[..start], table, &text[end..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    assert_eq!(
        &text[start..end],
        table,
        "docs/language.md's methods table is out of date: run LAMPORT_UPDATE_DOCS=1 cargo test --test docs"
    );
}
