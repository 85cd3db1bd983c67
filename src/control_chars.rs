//! Control characters from content. A title holding `\x1b[2J` would clear a writer's
//! terminal when a diagnostic quotes it, and `\x01` makes `atom.xml` invalid XML, so content
//! may not hold them, and what reaches a terminal or XML is cleaned once more on the way.

use std::borrow::Cow;

/// C0 controls other than tab, line feed and carriage return; DEL; and the C1 controls,
/// which some terminals read as escape sequences.
pub fn is_forbidden(c: char) -> bool {
    matches!(c, '\0'..='\x08' | '\x0b' | '\x0c' | '\x0e'..='\x1f' | '\x7f'..='\u{9f}')
}

/// Byte offset and character of the first forbidden control character in `text`.
pub fn first_forbidden(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|&(_, c)| is_forbidden(c))
}

/// `text` with each forbidden control character written as `\u{1b}`, for a terminal.
pub fn printable(text: &str) -> Cow<'_, str> {
    if first_forbidden(text).is_none() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(shown).collect())
}

/// How one character is shown on a terminal.
pub fn shown(c: char) -> String {
    if is_forbidden(c) {
        format!("\\u{{{:x}}}", c as u32)
    } else {
        c.to_string()
    }
}

/// How a forbidden character is named in a message: `U+001B`.
pub fn name(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_found_and_shown_harmlessly() {
        assert!(is_forbidden('\x1b') && is_forbidden('\u{9b}') && is_forbidden('\x7f'));
        assert!(!is_forbidden('\t') && !is_forbidden('\n') && !is_forbidden('é'));
        assert_eq!(first_forbidden("ab\x01c"), Some((2, '\x01')));
        assert_eq!(printable("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(printable("plain"), "plain");
        assert_eq!(name('\x0b'), "U+000B");
    }
}
