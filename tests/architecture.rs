//! The crate's modules import each other without a circle: the data
//! flows one way (`stream → engine → format / detect → mask`), and leaf
//! modules (`span`, `error`, `simd`, `patterns`) import nothing back.
//!
//! The graph is read from the `crate::` and `super::` paths in `src/`
//! (not `src/bin/`, a separate crate), one node per top-level module, and
//! from the names `lib.rs` re-exports (`crate::Engine` is `engine`).
//! `super::` is resolved by file: inside an inline `mod tests` it names
//! the file's own module, which only ever stays within that module.
//! `cargo test --test integration architecture -- --nocapture` prints it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Module path of a source file: `src/detect/name/mod.rs` → detect, name.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "bin") {
                rust_files(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The text with `//` comments removed (doc comments hold example
/// paths, not imports).
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident_at(s: &[u8], i: usize) -> String {
    let end = s[i..]
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .map_or(s.len(), |n| i + n);
    String::from_utf8_lossy(&s[i..end]).into_owned()
}

/// The first segments of the paths that start at `i` (after `crate::` or
/// a resolved `super::`): one ident, or each item of a `{…}` group.
fn heads(s: &[u8], i: usize) -> Vec<String> {
    if s.get(i) != Some(&b'{') {
        return vec![ident_at(s, i)];
    }
    let mut out = Vec::new();
    let (mut depth, mut j, mut item_start) = (0, i, true);
    while j < s.len() {
        match s[j] {
            b'{' => {
                depth += 1;
                item_start = depth == 1;
            }
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            b',' if depth == 1 => item_start = true,
            b if item_start && (b.is_ascii_alphabetic() || b == b'_') => {
                out.push(ident_at(s, j));
                item_start = false;
            }
            _ => {}
        }
        j += 1;
    }
    out
}

/// The names `lib.rs` re-exports (`pub use engine::{Engine, …};`), by
/// the module they come from: `crate::Engine` is an import of `engine`.
fn reexports(src: &Path) -> BTreeMap<String, String> {
    let lib = code(&fs::read_to_string(src.join("lib.rs")).unwrap());
    let mut out = BTreeMap::new();
    for stmt in lib.split(';') {
        let Some(rest) = stmt.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, names)) = rest.split_once("::") else { continue };
        let names = names.trim_matches(|c| c == '{' || c == '}');
        for n in names.split(',') {
            let n = n.rsplit("::").next().unwrap().trim();
            let n = n.rsplit(" as ").next().unwrap().trim();
            if !n.is_empty() {
                out.insert(n.to_string(), module.trim().to_string());
            }
        }
    }
    out
}

/// Edges `module → module` of the crate, each with a file that makes it.
fn graph() -> BTreeMap<String, BTreeMap<String, String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let names = reexports(&src);
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut g: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for file in &files {
        let here = module_path(&src, file);
        let Some(from) = here.first().cloned() else { continue };
        g.entry(from.clone()).or_default();
        let text = code(&fs::read_to_string(file).unwrap());
        let s = text.as_bytes();
        let name = file.strip_prefix(&src).unwrap().display().to_string();
        let mut i = 0;
        while i < s.len() {
            let word_start = i == 0
                || !(s[i - 1].is_ascii_alphanumeric() || s[i - 1] == b'_');
            let target: Option<(Vec<String>, usize)> =
                if word_start && s[i..].starts_with(b"crate::") {
                    Some((Vec::new(), i + 7))
                } else if word_start && s[i..].starts_with(b"super::") {
                    // `super::super::x` from a/b/c.rs is a::x.
                    let mut base = here.clone();
                    let mut j = i;
                    while s[j..].starts_with(b"super::") {
                        base.pop();
                        j += 7;
                    }
                    Some((base, j))
                } else {
                    None
                };
            let Some((base, at)) = target else {
                i += 1;
                continue;
            };
            let tops = match base.first() {
                Some(top) => vec![top.clone()],
                None => heads(s, at),
            };
            for to in tops {
                let to = names.get(&to).cloned().unwrap_or(to);
                let is_module = src.join(&to).is_dir()
                    || src.join(format!("{to}.rs")).is_file();
                if !to.is_empty() && to != from && is_module {
                    g.entry(from.clone())
                        .or_default()
                        .entry(to)
                        .or_insert_with(|| name.clone());
                }
            }
            i = at;
        }
    }
    g
}

/// A circle through the graph, if there is one (depth-first search).
fn circle(
    g: &BTreeMap<String, BTreeMap<String, String>>,
) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeMap<String, String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == n) {
            let mut c = path[at..].to_vec();
            c.push(n.to_string());
            return Some(c);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for to in g.get(n).into_iter().flat_map(|e| e.keys()) {
            if let Some(c) = visit(to, g, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    g.keys().find_map(|n| visit(n, g, &mut Vec::new(), &mut done))
}

#[test]
fn module_imports_have_no_circle() {
    let g = graph();
    for (from, to) in &g {
        let list: Vec<&str> = to.keys().map(String::as_str).collect();
        println!("{from:<10} -> {}", list.join(", "));
    }
    if let Some(c) = circle(&g) {
        let why: Vec<String> = c
            .windows(2)
            .map(|w| format!("{} -> {} ({})", w[0], w[1], g[&w[0]][&w[1]]))
            .collect();
        panic!("import circle:\n  {}", why.join("\n  "));
    }
}

/// The checker itself finds a circle and reads grouped imports.
#[test]
fn circle_finder_finds_circles() {
    let mut g: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (a, b) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
        g.entry(a.into()).or_default().insert(b.into(), String::new());
    }
    assert_eq!(circle(&g).unwrap(), ["a", "b", "c", "a"]);
    g.get_mut("c").unwrap().remove("a");
    assert_eq!(circle(&g), None);
    let s = b"{engine::{Engine, X}, format::Format, span}";
    assert_eq!(heads(s, 0), ["engine", "format", "span"]);
    assert_eq!(heads(b"mask::Mask;", 0), ["mask"]);
}
