//! Syntax check of TLA+ text with the tree-sitter TLA+ grammar (no Java needed).

/// The position and text of every error or missing node when `source` is parsed as TLA+.
pub fn syntax_errors(source: &str) -> Vec<String> {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_tlaplus::LANGUAGE.into())
        .expect("the TLA+ grammar loads");
    let Some(tree) = parser.parse(source, None) else {
        return vec!["the parser gave up".to_string()];
    };
    let mut errors = Vec::new();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            let at = node.start_position();
            errors.push(format!(
                "line {}, column {}: {:?}",
                at.row + 1,
                at.column + 1,
                &source[node.byte_range()]
            ));
        }
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor));
    }
    errors.sort();
    errors
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_errors_and_accepts_good_modules() {
        assert!(super::syntax_errors("---- MODULE M ----\nInit == x = 1\n====\n").is_empty());
        assert!(!super::syntax_errors("---- MODULE M ----\nInit == /\\ x = \n====\n").is_empty());
    }
}
