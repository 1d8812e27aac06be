//! Where the sign-in page sends a person afterwards (`next`): only a path on this site. The
//! value goes out in a `Location` header, so anything that is not plainly one of our paths
//! (another host, a scheme, a control character, a backslash a browser reads as `/`) is
//! replaced by `/` rather than refused: a bad link still signs the person in.

/// Longer than any address the app makes.
const MAX_LEN: usize = 2048;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextPath(String);

impl NextPath {
    /// `text` when it is `/` alone, or `/` followed by a path character and then only
    /// characters a URL path or query may hold (RFC 3986, `%` escapes included); else `/`.
    pub fn parse(text: Option<&str>) -> NextPath {
        match text {
            Some(path) if is_own_path(path) => NextPath(path.to_owned()),
            _ => NextPath::root(),
        }
    }

    pub fn root() -> NextPath {
        NextPath("/".to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_own_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    if path.len() > MAX_LEN || bytes.first() != Some(&b'/') {
        return false;
    }
    // `//host` and `/\host` leave the site; `/?` and `/%` are not worth the doubt.
    if bytes.get(1).is_some_and(|&b| !is_path_char(b)) {
        return false;
    }
    let mut rest = bytes[1..].iter().enumerate();
    while let Some((i, &b)) = rest.next() {
        match b {
            b'%' => {
                let escape = bytes.get(i + 2..i + 4);
                if !escape.is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)) {
                    return false;
                }
                rest.nth(1);
            }
            b'/' | b'?' => {}
            _ if is_path_char(b) => {}
            _ => return false,
        }
    }
    true
}

/// RFC 3986 `pchar` without `%`: unreserved, sub-delims, `:` and `@`.
fn is_path_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::NextPath;

    fn next(text: &str) -> String {
        NextPath::parse(Some(text)).as_str().to_owned()
    }

    #[test]
    fn our_own_paths_pass_unchanged() {
        for path in [
            "/",
            "/sessions",
            "/sessions?page=2&show=all",
            "/search?q=red%20cat&var=Style:oil",
            "/images/12",
            "/sessions/3/tiles?whose=mine",
        ] {
            assert_eq!(next(path), path);
        }
    }

    #[test]
    fn anything_else_falls_back_to_the_root() {
        for bad in [
            "",
            "sessions",
            "//example.invalid",
            "/\\example.invalid",
            "/\t/example.invalid",
            "\t/sessions",
            "/sessions\r\nSet-Cookie: x=1",
            "/sessions\n",
            "/sessions\r",
            "/sessions\0",
            "/sessions\u{7f}",
            "/sessions page",
            "/sessions#top",
            "/café",
            "/%",
            "/a%2",
            "/a%zz",
            "/?page=2",
            "https://example.invalid/",
            "http:/example.invalid",
            "javascript:alert(1)",
        ] {
            assert_eq!(next(bad), "/", "{bad:?}");
        }
        assert_eq!(NextPath::parse(None).as_str(), "/");
        assert_eq!(next(&format!("/{}", "a".repeat(3000))), "/");
    }
}
