//! Normalisation: a lower-case copy of the narrative with hyphens, slashes, underscores, control
//! characters and runs of whitespace folded to one space and curly quotes made straight, plus a map
//! from every byte of the copy back to the original, so evidence spans point at what the handler
//! typed. It must never panic, whatever the input.

/// The normalised text and its map back to the original.
#[derive(Debug, Default)]
pub(crate) struct Normalised {
    /// The normalised text.
    pub text: String,
    /// For each byte of `text`, the byte offset in the original where its character starts.
    starts: Vec<usize>,
    /// For each byte of `text`, the byte offset in the original where its character ends.
    ends: Vec<usize>,
}

impl Normalised {
    /// Normalises `original`.
    pub fn new(original: &str) -> Self {
        let mut n = Normalised {
            text: String::with_capacity(original.len()),
            starts: Vec::with_capacity(original.len()),
            ends: Vec::with_capacity(original.len()),
        };
        let mut last_space = true;
        for (i, c) in original.char_indices() {
            let end = i + c.len_utf8();
            let folded = match c {
                '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' => Some('\''),
                '\u{201C}' | '\u{201D}' => Some('"'),
                '\n' | '\r' | '\u{2028}' | '\u{2029}' => Some('\n'),
                '-' | '\u{2010}'..='\u{2015}' | '/' | '_' | '\\' | '|' | '+' | '*' | '#' | '~' => None,
                c if c.is_whitespace() || c.is_control() => None,
                _ => Some(c),
            };
            match folded {
                None => {
                    if !last_space {
                        n.push(' ', i, end);
                        last_space = true;
                    }
                }
                Some('\n') => {
                    if n.text.ends_with(' ') {
                        n.text.pop();
                        n.starts.pop();
                        n.ends.pop();
                    }
                    if !n.text.ends_with('\n') {
                        n.push('\n', i, end);
                    }
                    last_space = true;
                }
                Some(c) => {
                    if c.is_ascii() {
                        n.push(c.to_ascii_lowercase(), i, end);
                    } else {
                        for lc in c.to_lowercase() {
                            n.push(lc, i, end);
                        }
                    }
                    last_space = false;
                }
            }
        }
        n
    }

    fn push(&mut self, c: char, start: usize, end: usize) {
        self.text.push(c);
        for _ in 0..c.len_utf8() {
            self.starts.push(start);
            self.ends.push(end);
        }
    }

    /// Maps a byte range of the normalised text back to the original.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.starts.get(start).copied().unwrap_or(0);
        let e = end.checked_sub(1).and_then(|i| self.ends.get(i)).copied().unwrap_or(s);
        (s, e.max(s))
    }
}

/// Whether a character counts as part of a word (for word boundaries and word counts).
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_hyphens_and_spaces_and_maps_back() {
        let original = "Self-Harm\t\tand  KNIFE";
        let n = Normalised::new(original);
        assert_eq!(n.text, "self harm and knife");
        assert_eq!(Normalised::new("a \r\n\n b").text, "a\nb");
        let at = n.text.find("knife").expect("knife");
        let (s, e) = n.original_span(at, at + 5);
        assert_eq!(&original[s..e], "KNIFE");
    }

    #[test]
    fn maps_multibyte_and_case_changing_characters() {
        let original = "İ said “he’s got a knife” 🔪";
        let n = Normalised::new(original);
        let at = n.text.find("he's").expect("he's");
        let (s, e) = n.original_span(at, at + 4);
        assert_eq!(&original[s..e], "he’s");
    }
}
