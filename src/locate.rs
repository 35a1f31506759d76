//! Where a JSON pointer's value stands in the text: a small scanner that walks the
//! text along the pointer, run only for documents that have a problem to report.

/// Byte offset in `text` of the value at `pointer` (RFC 6901), or of the deepest
/// value on its path that exists.
pub fn locate(text: &str, pointer: &str) -> usize {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        at: 0,
    };
    scanner.skip_ws();
    let mut found = scanner.at;
    for token in crate::error::pointer_tokens(pointer) {
        match scanner.enter(&token) {
            Some(at) => found = at,
            None => break,
        }
    }
    found
}

/// Byte offset of the *key* of member `name` of the object at `pointer`, for
/// problems about a key itself (an unexpected property).
pub fn locate_key(text: &str, pointer: &str, name: &str) -> usize {
    let start = locate(text, pointer);
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        at: start,
    };
    scanner.member_key(name).unwrap_or(start)
}

struct Scanner<'t> {
    bytes: &'t [u8],
    at: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Moves into member `token` of the object (or item of the array) at the
    /// cursor; returns the offset of that value.
    fn enter(&mut self, token: &str) -> Option<usize> {
        match self.peek()? {
            b'{' => {
                self.member_key(token)?;
                self.string()?;
                self.skip_ws();
                (self.peek()? == b':').then_some(())?;
                self.at += 1;
                self.skip_ws();
                Some(self.at)
            }
            b'[' => {
                let index: usize = token.parse().ok()?;
                self.at += 1;
                self.skip_ws();
                for _ in 0..index {
                    self.value()?;
                    self.skip_ws();
                    (self.peek()? == b',').then_some(())?;
                    self.at += 1;
                    self.skip_ws();
                }
                (self.peek()? != b']').then_some(self.at)
            }
            _ => None,
        }
    }

    /// With the cursor on `{`, finds member `name` and leaves the cursor on its
    /// key; returns the key's offset.
    fn member_key(&mut self, name: &str) -> Option<usize> {
        (self.peek()? == b'{').then_some(())?;
        self.at += 1;
        loop {
            self.skip_ws();
            if self.peek()? == b'}' {
                return None;
            }
            let key_start = self.at;
            let key = self.string()?;
            if key == name {
                self.at = key_start;
                return Some(key_start);
            }
            self.skip_ws();
            (self.peek()? == b':').then_some(())?;
            self.at += 1;
            self.skip_ws();
            self.value()?;
            self.skip_ws();
            match self.peek()? {
                b',' => self.at += 1,
                _ => return None,
            }
        }
    }

    /// Reads a string at the cursor, decoding escapes when there are any.
    fn string(&mut self) -> Option<String> {
        (self.peek()? == b'"').then_some(())?;
        let start = self.at;
        self.at += 1;
        let mut escaped = false;
        loop {
            match self.peek()? {
                b'\\' => {
                    escaped = true;
                    self.at += 2;
                }
                b'"' => {
                    self.at += 1;
                    break;
                }
                _ => self.at += 1,
            }
        }
        let raw = std::str::from_utf8(self.bytes.get(start..self.at)?).ok()?;
        if escaped {
            serde_json::from_str(raw).ok()
        } else {
            Some(raw[1..raw.len() - 1].to_owned())
        }
    }

    /// Skips the value at the cursor.
    fn value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.at += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.at += 1;
                }
            }
            _ => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                ) {
                    self.at += 1;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  \"a\": {\"b\": [1, {\"c\": \"x\\\"y\"}, [2, 3]]},\n  \"d/e\": null,\n  \"ü\": true\n}";

    fn at(pointer: &str) -> &'static str {
        &TEXT[locate(TEXT, pointer)..]
    }

    #[test]
    fn walks_objects_and_arrays() {
        assert!(at("").starts_with("{\n"));
        assert!(at("/a").starts_with("{\"b\""));
        assert!(at("/a/b/0").starts_with("1,"));
        assert!(at("/a/b/1/c").starts_with("\"x\\\"y\""));
        assert!(at("/a/b/2/1").starts_with("3]"));
        assert!(at("/d~1e").starts_with("null"));
        assert!(at("/ü").starts_with("true"));
    }

    #[test]
    fn stops_at_the_deepest_existing_value() {
        assert!(at("/a/missing").starts_with("{\"b\""));
        assert!(at("/a/b/9").starts_with("[1,"));
    }

    #[test]
    fn keys() {
        assert!(TEXT[locate_key(TEXT, "", "d/e")..].starts_with("\"d/e\""));
        assert!(TEXT[locate_key(TEXT, "/a/b/1", "c")..].starts_with("\"c\""));
    }
}
