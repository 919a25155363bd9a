//! Credentials on command lines and in SQL: a password given to a tool
//! whose flag names nothing (`mysql -pSECRET`, `curl -u user:SECRET`,
//! `redis-cli -a SECRET`: the tools of `patterns/commands.toml`), a
//! setting written on a command line (`aws configure set
//! aws_secret_access_key SECRET`, Redis `CONFIG SET requirepass SECRET`,
//! `git config github.token SECRET`), and the password of SQL's account
//! statements (`command/sql.rs`).
//!
//! What the token detector masks by its key is left to it: `--password
//! X`, `--password=X`, `--secret X`, `DB_PASSWORD=X psql`.
//!
//! Not passwords: a flag alone (`mysql -p` prompts, and mysql's `-p
//! dbname` names a database), another tool's flag (`ssh -p 2222`), a
//! variable or format verb standing for one (`-p$MYSQL_PWD`, `%s`), an
//! empty or already masked value.

use std::collections::HashMap;

use serde::Deserialize;

use super::keys::{skip_blanks, KeyScanner, Search};
use super::{is_word, Detector, DetectorConfig, Input, Triggers};
use crate::error::Error;
use crate::fxhash::FxBuild;
use crate::mask::MaskKind;
use crate::patterns;
/// A tool entry, as in `patterns/commands.toml` and `extra_tools`.
pub use crate::patterns::ToolRule;
use crate::span::{Match, Span};

mod shell;
mod sql;

use shell::{ends_command, find_ci, next_word, trim, value_at, word_end};

/// Config of the `command_line` detector.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandLineConfig {
    /// Tools added to the shipped `patterns/commands.toml`.
    #[serde(default)]
    pub extra_tools: Vec<ToolRule>,
    /// Keys whose value `config set KEY VALUE` makes a secret, added to
    /// the shipped ones and the secret keywords.
    #[serde(default)]
    pub extra_set_keys: Vec<String>,
    /// Look for the passwords of SQL account statements (default true).
    #[serde(default = "super::yes")]
    pub sql: bool,
}

impl Default for CommandLineConfig {
    /// The shipped tools, settings and SQL.
    fn default() -> CommandLineConfig {
        CommandLineConfig {
            extra_tools: Vec::new(),
            extra_set_keys: Vec::new(),
            sql: true,
        }
    }
}

impl DetectorConfig for CommandLineConfig {
    const TYPE: &'static str = "command_line";
    fn default_mask() -> MaskKind {
        MaskKind::Last4
    }
    fn build(self) -> Result<Box<dyn Detector>, Error> {
        let shipped = patterns::commands();
        let all = shipped.tool.into_iter().map(|t| (t, "tool", 0));
        let extra =
            self.extra_tools.into_iter().map(|t| (t, "extra_tools", 1));
        let mut tools = Vec::new();
        let mut by_name = HashMap::default();
        let mut env = Vec::new();
        let mut quoted = Vec::new();
        let mut counts = [0, 0];
        for (t, path, list) in all.chain(extra) {
            let i = counts[list];
            counts[list] += 1;
            let at = |k: &str| format!("{path}[{i}].{k}");
            let flags = t.glued.iter().chain(&t.value).chain(&t.user_pass);
            if let Some(f) = flags.clone().find(|f| {
                f.len() < 2 || !f.starts_with('-') || f.contains([' ', '='])
            }) {
                return Err(Error::config(
                    at("flags"),
                    format!("{f:?} is no flag (`-x` or `--name`)"),
                ));
            }
            if flags.count() + t.commands.len() + t.env.len() == 0 {
                return Err(Error::config(
                    at("names"),
                    "a tool needs glued, value, user_pass, commands or env",
                ));
            }
            let separator = match t.separator.as_deref().unwrap_or(":") {
                s if s.len() == 1 => s.as_bytes()[0],
                _ => {
                    return Err(Error::config(
                        at("separator"),
                        "must be one ASCII character",
                    ))
                }
            };
            for n in &t.names {
                if n.is_empty() || n.len() > MAX_NAME || n.contains(' ') {
                    return Err(Error::config(
                        at("names"),
                        format!("{n:?} is no command word"),
                    ));
                }
                by_name
                    .insert(n.to_ascii_lowercase().into_bytes(), tools.len());
            }
            env.extend(t.env.iter().map(|e| e.clone().into_bytes()));
            for c in &t.commands {
                quoted.push(format!("\"{}\"", c.to_ascii_lowercase()));
            }
            let bytes = |v: &[String]| {
                v.iter().map(|s| s.clone().into_bytes()).collect::<Vec<_>>()
            };
            tools.push(Tool {
                glued: bytes(&t.glued),
                value: bytes(&t.value),
                user_pass: bytes(&t.user_pass),
                separator,
                value_prefix: t.value_prefix.map(String::into_bytes),
                commands: bytes(&t.commands),
            });
        }
        let secret = patterns::family("secret");
        let mut keys = secret.words;
        keys.extend(shipped.set.keys);
        keys.extend(self.extra_set_keys);
        let set_keys = KeyScanner::new(&[keys, secret.not_keys])
            .map_err(|e| Error::config("extra_set_keys", e))?;
        let mut names: Vec<String> = by_name
            .keys()
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect();
        names.sort();
        // Everything but SQL's words, for one search that tells whether a
        // line woken (by `password`, most often) holds any of it: the AVX2
        // literal finder where the CPU has it (an automaton a byte at a
        // time cost 1,500 instructions a woken line).
        let words: Vec<String> = names
            .iter()
            .map(|n| n.as_bytes())
            .chain(env.iter().map(Vec::as_slice))
            .chain(quoted.iter().map(|q| q.as_bytes()))
            .chain(shipped.set.phrases.iter().map(|p| p.as_bytes()))
            .map(|w| String::from_utf8_lossy(w).to_ascii_lowercase())
            .collect();
        let gate = Search::new(&words)
            .map_err(|e| Error::config("extra_tools", e))?;
        Ok(Box::new(CommandLine {
            gate,
            names,
            by_name,
            tools,
            env,
            quoted,
            set_phrases: shipped.set.phrases,
            set_flags: shipped.set.flags_with_value,
            set_keys,
            sql: self.sql,
        }))
    }
}

/// The tool names as the prefilter looks for them: names that share a
/// first part of 4 bytes or more with another (`ldapsearch`, `ldapadd`)
/// by that part (`ldap`), so a family of tools costs one literal.
fn shared_prefixes(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        let common = names
            .iter()
            .filter(|m| *m != n)
            .map(|m| {
                n.bytes().zip(m.bytes()).take_while(|(a, b)| a == b).count()
            })
            .max()
            .unwrap_or(0);
        let lit = if common >= 4 { &n[..common] } else { &n[..] };
        if !out.iter().any(|o| lit.starts_with(o.as_str())) {
            out.retain(|o| !o.starts_with(lit));
            out.push(lit.to_string());
        }
    }
    out
}

/// Longest command word looked up (`mariadb-binlog` is 14 bytes).
const MAX_NAME: usize = 32;

/// A tool's flags, as bytes.
#[derive(Debug)]
struct Tool {
    glued: Vec<Vec<u8>>,
    value: Vec<Vec<u8>>,
    user_pass: Vec<Vec<u8>>,
    separator: u8,
    value_prefix: Option<Vec<u8>>,
    commands: Vec<Vec<u8>>,
}

/// The `command_line` detector.
#[derive(Debug)]
pub struct CommandLine {
    /// Finds any tool name, variable, quoted command or setting phrase.
    gate: Search,
    /// Every tool name, lower case, for the prefilter.
    names: Vec<String>,
    /// Index in `tools` by lower-case command word.
    by_name: HashMap<Vec<u8>, usize, FxBuild>,
    tools: Vec<Tool>,
    /// Environment variables that hold a tool's password.
    env: Vec<Vec<u8>>,
    /// Tools' commands as quoted words (`"auth"`), lower case.
    quoted: Vec<String>,
    set_phrases: Vec<String>,
    set_flags: Vec<String>,
    /// Secret keys (family 0) and keys that only end like one.
    set_keys: KeyScanner,
    sql: bool,
}

/// A tool's flag or command.
const TOOL: u16 = 0;
/// A tool's environment variable.
const ENV: u16 = 1;
/// `config set KEY VALUE`.
const SETTING: u16 = 2;
/// An SQL account statement.
const SQL: u16 = 3;

impl Detector for CommandLine {
    fn kind(&self) -> &str {
        "command_line"
    }

    fn rule_name(&self, rule: u16) -> &str {
        match rule {
            TOOL => "tool_flag",
            ENV => "tool_env",
            SETTING => "setting",
            _ => "sql_password",
        }
    }

    fn triggers(&self) -> Triggers {
        let mut l: Vec<String> = shared_prefixes(&self.names);
        l.extend(self.env.iter().map(|e| String::from_utf8_lossy(e).into()));
        l.extend(self.quoted.iter().cloned());
        l.extend(self.set_phrases.iter().cloned());
        if self.sql {
            l.extend(sql::LITERALS.iter().map(|s| s.to_string()));
        }
        Triggers::literals(l)
    }

    fn find(&self, input: &Input<'_>, out: &mut Vec<Match>) {
        let hay = input.hay;
        let mut push = |v: Option<Span>, rule: u16| {
            if let Some(v) = v.filter(|&v| !stands_for_secret(&hay[v])) {
                out.push(Match::new(v).rule(rule));
            }
        };
        // A line with none of them (woken by SQL's `password`): no word
        // of it is looked up.
        if self.gate.find(hay, 0).is_some() {
            self.tools(hay, &mut push);
            self.env(hay, &mut push);
            self.quoted_commands(hay, &mut push);
            self.settings(hay, &mut push);
        }
        if self.sql {
            sql::find(hay, &mut |v| push(Some(v), SQL));
        }
    }
}

impl CommandLine {
    /// The tool named by the command word `w`, if any: `/usr/bin/mysql`,
    /// `"curl`, `MYSQL.EXE` name tools.
    fn tool(&self, w: &[u8]) -> Option<&Tool> {
        let w = trim(w, b"\"'(`", b"\"')`");
        let base = match w.iter().rposition(|&b| b == b'/' || b == b'\\') {
            Some(p) => &w[p + 1..],
            None => w,
        };
        let base = match base.len().checked_sub(4) {
            Some(n) if base[n..].eq_ignore_ascii_case(b".exe") => &base[..n],
            _ => base,
        };
        let mut buf = [0u8; MAX_NAME];
        let buf = buf.get_mut(..base.len())?;
        buf.copy_from_slice(base);
        buf.make_ascii_lowercase();
        self.by_name.get(&buf[..]).map(|&i| &self.tools[i])
    }

    /// Passwords given to a tool in its arguments.
    fn tools(&self, hay: &[u8], push: &mut impl FnMut(Option<Span>, u16)) {
        let mut i = 0;
        while i < hay.len() {
            // Any word may name the tool, in any command of the line.
            i = skip_blanks(hay, i);
            if i < hay.len() && ends_command(hay[i]) {
                i += 1;
                continue;
            }
            let e = word_end(hay, i);
            if let Some(t) = self.tool(&hay[i..e]) {
                i = self.arguments(t, hay, e, push);
            } else {
                i = e.max(i + 1);
            }
        }
    }

    /// Looks for `t`'s password flags in the words from `i` to the end
    /// of the command; returns where the command ends.
    fn arguments(
        &self,
        t: &Tool,
        hay: &[u8],
        mut i: usize,
        push: &mut impl FnMut(Option<Span>, u16),
    ) -> usize {
        while let Some((ws, we)) = next_word(hay, i) {
            i = we;
            let w = &hay[ws..we];
            if let Some(g) = t.glued.iter().find(|g| glued(w, g)) {
                push(value_at(hay, ws + g.len()), TOOL);
            } else if let Some((v, next)) = flag_value(hay, ws, we, &t.value) {
                i = next;
                let v = match &t.value_prefix {
                    Some(p) if hay[v].starts_with(p) => {
                        Some(Span::new(v.start + p.len(), v.end))
                    }
                    Some(_) => None,
                    None => Some(v),
                };
                push(v, TOOL);
            } else if let Some((v, next)) =
                flag_value(hay, ws, we, &t.user_pass)
            {
                i = next;
                // `user:password`; a user alone makes the tool prompt.
                let sep = memchr::memchr(t.separator, &hay[v]);
                push(sep.map(|p| Span::new(v.start + p + 1, v.end)), TOOL);
            } else if t.commands.iter().any(|c| w.eq_ignore_ascii_case(c)) {
                let (last, next) = last_argument(hay, we, false);
                i = next;
                push(last, TOOL);
            }
        }
        i
    }

    /// `REDISCLI_AUTH=secret`: a tool's password variable, anywhere.
    fn env(&self, hay: &[u8], push: &mut impl FnMut(Option<Span>, u16)) {
        for name in &self.env {
            for s in memchr::memmem::find_iter(hay, name) {
                let e = s + name.len();
                if (s == 0 || !is_word(hay[s - 1]))
                    && hay.get(e) == Some(&b'=')
                {
                    push(value_at(hay, e + 1), ENV);
                }
            }
        }
    }

    /// Redis MONITOR's `"AUTH" "secret"`: a tool's command, quoted,
    /// anywhere.
    fn quoted_commands(
        &self,
        hay: &[u8],
        push: &mut impl FnMut(Option<Span>, u16),
    ) {
        for c in &self.quoted {
            let mut at = 0;
            while let Some(s) = find_ci(hay, c.as_bytes(), at) {
                at = s + c.len();
                push(last_argument(hay, at, true).0, TOOL);
            }
        }
    }

    /// `config set KEY VALUE` with a secret key.
    fn settings(&self, hay: &[u8], push: &mut impl FnMut(Option<Span>, u16)) {
        for p in &self.set_phrases {
            let mut at = 0;
            while let Some(s) = find_ci(hay, p.as_bytes(), at) {
                at = s + p.len();
                if (s > 0 && is_word(hay[s - 1]))
                    || hay.get(at).is_some_and(|&b| is_word(b))
                {
                    continue;
                }
                push(self.setting(hay, at), SETTING);
            }
        }
    }

    /// The value of the setting whose words start at `i`, if its key is
    /// a secret's.
    fn setting(&self, hay: &[u8], mut i: usize) -> Option<Span> {
        // Options before the key: `--global`, `--profile prod`.
        let (ks, ke) = loop {
            let (s, e) = next_word(hay, i)?;
            i = e;
            let w = &hay[s..e];
            if !w.starts_with(b"-") {
                break (s, e);
            }
            if self.set_flags.iter().any(|f| w == f.as_bytes()) {
                i = next_word(hay, i)?.1;
            }
        };
        let key = trim(&hay[ks..ke], b"\"'", b"\"'");
        if self.set_keys.key_family(key) != Some(0) {
            return None;
        }
        let (vs, _) = next_word(hay, ke)?;
        value_at(hay, vs)
    }
}

/// True when `w` is flag `g` with a value glued to it (`-pSECRET`).
fn glued(w: &[u8], g: &[u8]) -> bool {
    w.len() > g.len() && w.starts_with(g)
}

/// The value of one of `flags` whose word is `ws..we`: the next word
/// (`-a x`: not a flag), after `=` (`--user=x`), or glued to a
/// one-letter flag (`-ux`); with where the words after it start.
fn flag_value(
    hay: &[u8],
    ws: usize,
    we: usize,
    flags: &[Vec<u8>],
) -> Option<(Span, usize)> {
    let w = &hay[ws..we];
    let f = flags.iter().find(|f| w.starts_with(f))?;
    if w.len() == f.len() {
        let (s, e) = next_word(hay, we)?;
        if hay[s] == b'-' {
            return None;
        }
        return Some((value_at(hay, s)?, e));
    }
    let glue = if w[f.len()] == b'=' {
        f.len() + 1
    } else if f.len() == 2 {
        f.len()
    } else {
        return None;
    };
    Some((value_at(hay, ws + glue)?, we))
}

/// The last of the (at most two) arguments of a command that ends at
/// `i` (`AUTH [user] password`), quoted ones only if `quoted`; with
/// where the words after them start.
fn last_argument(
    hay: &[u8],
    mut i: usize,
    quoted: bool,
) -> (Option<Span>, usize) {
    let mut last = None;
    for _ in 0..2 {
        match next_word(hay, i) {
            Some((s, e)) if !quoted || hay[s] == b'"' => {
                last = value_at(hay, s);
                i = e;
            }
            _ => break,
        }
    }
    (last, i)
}

/// True when `v` stands where a secret would be, rather than being one:
/// a shell or template variable (`$DB_PASS`, `${DB_PASS}`, `$(cat f)`,
/// `{{ .pw }}`), a format verb (`%s`, `%(pw)s`), a hint (`<password>`),
/// a bind marker (`?`), or a value already masked (`****`,
/// `[REDACTED:…]`, `xxxx`).
pub(crate) fn stands_for_secret(v: &[u8]) -> bool {
    let variable = match v {
        [b'$', c, ..] => c.is_ascii_alphabetic() || b"_{(".contains(c),
        [b'%', c] => c.is_ascii_alphabetic(),
        [b'%', b'(', .., b')', c] => c.is_ascii_alphabetic(),
        [b'{', b'{', ..] | [b'?'] => true,
        [b'<', inner @ .., b'>'] => {
            !inner.is_empty()
                && inner.iter().all(|&b| is_word(b) || b == b'-' || b == b' ')
        }
        _ => false,
    };
    variable
        || v.iter().all(|&b| matches!(b, b'*' | b'x' | b'X'))
        || crate::mask::is_masked(v)
}

#[cfg(test)]
mod tests;
