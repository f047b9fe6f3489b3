//! Text that meets an error entry's `match`: the message a built error
//! answer carries and the header it sends, so that the client picks that
//! entry of its code (or status) rather than the fallback.
//!
//! `contains` is met by its text. `matches` is met by a text made from the
//! regular expression: literals and escapes as written, the first choice of
//! each alternative and class, the fewest repetitions a quantifier allows.
//! The result is checked with the runtime's own matcher; a pattern this
//! cannot meet (a backreference-like escape, a word boundary between two
//! letters it wrote) leaves the answer without it.

use loginspec_codegen::model::{ErrorVariant, TextTest};
use loginspec_runtime::__generated::v1::validate;

/// The message of a built answer of `variant`: one its `match` accepts,
/// else `fallback` (its doc's first sentence).
pub(crate) fn message(variant: &ErrorVariant, fallback: String) -> String {
    match variant.refine.as_ref().and_then(|m| m.message.as_ref()) {
        Some(test) => text_for(test).unwrap_or(fallback),
        None => fallback,
    }
}

/// The header `variant`'s `match` tests, with a value it accepts.
pub(crate) fn header(variant: &ErrorVariant) -> Option<(String, String)> {
    let (name, test) = variant.refine.as_ref()?.header.as_ref()?;
    Some((name.clone(), text_for(test)?))
}

fn text_for(test: &TextTest) -> Option<String> {
    match test {
        TextTest::Contains(part) => Some(part.clone()),
        TextTest::Matches(pattern) => {
            let text = witness(pattern)?;
            let holds = validate::pattern("match", &text, crate::leak(pattern)).is_ok();
            holds.then_some(text)
        }
    }
}

/// Groups nest at most this deep (deeper patterns get no text).
const MAX_DEPTH: usize = 32;

/// A text `pattern` may match whole (the caller checks that it does).
pub(crate) fn witness(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut at = 0;
    let text = alternatives(&chars, &mut at, 0)?;
    (at == chars.len()).then_some(text)
}

/// `a|b|…`: the first alternative's text; the others are read past.
fn alternatives(p: &[char], at: &mut usize, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    let first = sequence(p, at, depth)?;
    while p.get(*at) == Some(&'|') {
        *at += 1;
        sequence(p, at, depth)?;
    }
    Some(first)
}

fn sequence(p: &[char], at: &mut usize, depth: usize) -> Option<String> {
    let mut out = String::new();
    while let Some(&c) = p.get(*at) {
        if c == '|' || c == ')' {
            break;
        }
        let atom = atom(p, at, depth)?;
        let times = repetitions(p, at)?;
        for _ in 0..times {
            out.push_str(&atom);
        }
    }
    Some(out)
}

fn atom(p: &[char], at: &mut usize, depth: usize) -> Option<String> {
    let c = *p.get(*at)?;
    *at += 1;
    Some(match c {
        '.' => "a".into(),
        '^' | '$' => String::new(),
        '\\' => {
            let e = *p.get(*at)?;
            *at += 1;
            escape(e)?
        }
        '[' => class(p, at)?.to_string(),
        '(' => {
            if p.get(*at) == Some(&'?') {
                *at += 1;
                match p.get(*at)? {
                    ':' => *at += 1,
                    'P' | '<' => {
                        let close = p[*at..].iter().position(|c| *c == '>')?;
                        *at += close + 1;
                    }
                    _ => {
                        // Flags: `(?i)` alone, or `(?i:…)`.
                        let end = p[*at..].iter().position(|c| *c == ':' || *c == ')')?;
                        *at += end;
                        if p[*at] == ')' {
                            *at += 1;
                            return Some(String::new());
                        }
                        *at += 1;
                    }
                }
            }
            let inner = alternatives(p, at, depth + 1)?;
            if p.get(*at) != Some(&')') {
                return None;
            }
            *at += 1;
            inner
        }
        '*' | '+' | '?' | '{' | ')' | '|' => return None,
        other => other.to_string(),
    })
}

/// The text of `\e`; `None` for escapes that name no one character.
fn escape(e: char) -> Option<String> {
    let text = match e {
        'd' => "0",
        'D' | 'w' | 'S' => "a",
        'W' | 's' => " ",
        'b' | 'B' | 'A' | 'z' => "",
        'n' => "\n",
        't' => "\t",
        'r' => "\r",
        c if c.is_ascii_alphanumeric() => return None,
        c => return Some(c.to_string()),
    };
    Some(text.to_string())
}

/// `[…]` after its `[`: its first character, or for `[^…]` one it leaves out.
fn class(p: &[char], at: &mut usize) -> Option<char> {
    let negated = p.get(*at) == Some(&'^');
    if negated {
        *at += 1;
    }
    let mut members: Vec<(char, char)> = Vec::new();
    let mut first = true;
    loop {
        let c = *p.get(*at)?;
        *at += 1;
        let low = match c {
            ']' if !first => break,
            '[' if p.get(*at) == Some(&':') => return None,
            '\\' => {
                let e = *p.get(*at)?;
                *at += 1;
                escape(e)?.chars().next()?
            }
            c => c,
        };
        first = false;
        let high = if p.get(*at) == Some(&'-') && p.get(*at + 1).is_some_and(|c| *c != ']') {
            *at += 2;
            p[*at - 1]
        } else {
            low
        };
        members.push((low, high));
    }
    if negated {
        "a0 xZ_"
            .chars()
            .find(|c| !members.iter().any(|(lo, hi)| (lo..=hi).contains(&c)))
    } else {
        members.first().map(|(lo, _)| *lo)
    }
}

/// The fewest repetitions the quantifier after an atom allows (1 without one).
fn repetitions(p: &[char], at: &mut usize) -> Option<usize> {
    let times = match p.get(*at) {
        Some('*') | Some('?') => {
            *at += 1;
            0
        }
        Some('+') => {
            *at += 1;
            1
        }
        Some('{') => {
            let close = p[*at..].iter().position(|c| *c == '}')?;
            let inside: String = p[*at + 1..*at + close].iter().collect();
            *at += close + 1;
            let least = inside.split(',').next()?.trim();
            // At most a page of text for one atom.
            least.parse::<usize>().ok().filter(|n| *n <= 4096)?
        }
        _ => return Some(1),
    };
    if p.get(*at) == Some(&'?') {
        *at += 1;
    }
    Some(times)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn witnesses_match_their_patterns() {
        let cases = [
            (
                r"Invalid params\.: Incorrect user name or password.*",
                "Invalid params.: Incorrect user name or password",
            ),
            (r"(?i)session (terminated|ended)[.!]?", "session terminated"),
            (
                r"Bearer .*error=.invalid_token.*",
                "Bearer error=ainvalid_token",
            ),
            (r"[^a-z]+\d{3}x?(?:ab|c)+", "0000ab"),
            (r"^code: [A-Z_]{2,}$", "code: AA"),
        ];
        for (pattern, want) in cases {
            let got = witness(pattern);
            assert_eq!(got.as_deref(), Some(want), "{pattern}");
            let text = text_for(&TextTest::Matches(pattern.into()));
            assert_eq!(text.as_deref(), Some(want), "{pattern}: checked");
        }
        // Not met: refused, never a text that does not match.
        for pattern in [r"\p{L}+", "a\\bb", "[[:alpha:]]", "(unclosed", "x{99999}"] {
            assert_eq!(
                text_for(&TextTest::Matches(pattern.into())),
                None,
                "{pattern}"
            );
        }
    }
}
