//! Leak alerts: one rate-limited warning on standard error when a source
//! starts leaking a kind of secret, or leaks one faster than allowed.
//!
//! Semantics (`[audit.alert]`):
//!
//! - **Started leaking**: the first redaction of a (kind, rule) from a
//!   source the tracker holds no such redaction for, always, from the
//!   first line (no warm-up: a log that carries secrets from its first
//!   line is leaking from its first line).
//! - **Rate**: with `rate = N`, more than `N` redactions of one (kind,
//!   rule) from one source within one `window` (seconds, default 60).
//! - **Rate-limited**: at most one warning per source per `window`, and
//!   at most `max_alerts` (default 10) per `window` in all; the warnings
//!   held back are counted and said in one line when the window ends.
//! - **Bounded**: at most `max_sources` (default 4096) sources are
//!   tracked; a new one beyond that evicts the one seen longest ago, and
//!   a source with no redaction for 10 windows is forgotten. A source
//!   evicted or forgotten alerts again when it leaks again.
//!
//! The warning names the source, the kind and the rule and a count,
//! never a value: `logredact: source 10.0.0.7:5514 (connection 3) started
//! leaking kind=card rule=visa (1 in 60s)`. The tracker runs on the audit
//! writer thread and sees the events the queue took (not those dropped).

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::{Counters, Source};
use crate::error::Error;

/// Sources idle this many windows are forgotten.
const FORGET_WINDOWS: u32 = 10;

/// The `[audit.alert]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertConfig {
    /// Write leak alerts (default `true`).
    #[serde(default = "crate::detect::yes")]
    pub enabled: bool,
    /// Redactions of one kind and rule from one source allowed per
    /// window before a rate alert; none (the default): no rate alerts.
    #[serde(default)]
    pub rate: Option<u64>,
    /// The window, seconds (default 60).
    #[serde(default = "default_window")]
    pub window: f64,
    /// Most sources tracked at once (default 4096).
    #[serde(default = "default_max_sources")]
    pub max_sources: usize,
    /// Most alerts written per window, over all sources (default 10).
    #[serde(default = "default_max_alerts")]
    pub max_alerts: u64,
}

fn default_window() -> f64 {
    60.0
}
fn default_max_sources() -> usize {
    4096
}
fn default_max_alerts() -> u64 {
    10
}

impl Default for AlertConfig {
    fn default() -> AlertConfig {
        AlertConfig {
            enabled: true,
            rate: None,
            window: default_window(),
            max_sources: default_max_sources(),
            max_alerts: default_max_alerts(),
        }
    }
}

impl AlertConfig {
    /// Checks the values serde cannot.
    ///
    /// # Errors
    /// The first bad value, naming its key (`audit.alert.window: …`).
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |k: &str, m: &str| {
            Err(Error::config(format!("audit.alert.{k}"), m))
        };
        if !(self.window.is_finite() && self.window > 0.0) {
            return bad("window", "must be seconds, above 0");
        }
        if self.max_sources == 0 {
            return bad("max_sources", "must be at least 1");
        }
        if self.rate == Some(0) {
            return bad("rate", "must be at least 1");
        }
        Ok(())
    }
}

/// One (kind, rule) of one source.
#[derive(Debug)]
struct RuleState {
    window_start: Instant,
    count: u64,
    /// A rate alert was due in this window.
    rate_due: bool,
}

#[derive(Debug, Default)]
struct SourceState {
    last_seen: Option<Instant>,
    last_alert: Option<Instant>,
    rules: HashMap<(Option<u16>, u16), RuleState>,
}

/// The alert state, on the audit writer thread.
#[derive(Debug)]
pub(crate) struct Tracker {
    cfg: AlertConfig,
    window: Duration,
    sources: HashMap<Arc<Source>, SourceState>,
    /// Start of the current window of the overall limit.
    window_start: Instant,
    alerts_in_window: u64,
    held_back: u64,
}

impl Tracker {
    pub(crate) fn new(cfg: &AlertConfig) -> Tracker {
        Tracker {
            cfg: cfg.clone(),
            window: Duration::from_secs_f64(cfg.window),
            sources: HashMap::new(),
            window_start: Instant::now(),
            alerts_in_window: 0,
            held_back: 0,
        }
    }

    /// A redaction from `source`, now: `key` is its (detector, rule)
    /// index, `kind` and `rule` their names.
    pub(crate) fn event(
        &mut self,
        source: &Arc<Source>,
        key: (Option<u16>, u16),
        kind: &str,
        rule: &str,
        counters: &Counters,
    ) {
        if !self.cfg.enabled {
            return;
        }
        let now = Instant::now();
        if !self.sources.contains_key(source) {
            if self.sources.len() >= self.cfg.max_sources {
                self.evict_oldest();
            }
            self.sources.insert(Arc::clone(source), SourceState::default());
            counters
                .tracked
                .store(self.sources.len() as u64, Ordering::Relaxed);
        }
        let Some(st) = self.sources.get_mut(source) else { return };
        if st.last_seen.is_none_or(|t| now - t > self.window) {
            // Counted as leaking from now, not at the next tick.
            counters.leaking.fetch_add(1, Ordering::Relaxed);
        }
        st.last_seen = Some(now);
        let (due, count) = match st.rules.get_mut(&key) {
            None => {
                st.rules.insert(
                    key,
                    RuleState { window_start: now, count: 1, rate_due: false },
                );
                (Some("started leaking"), 1)
            }
            Some(r) => {
                if now - r.window_start >= self.window {
                    *r = RuleState {
                        window_start: now,
                        count: 0,
                        rate_due: false,
                    };
                }
                r.count += 1;
                let over = self.cfg.rate.is_some_and(|n| r.count > n);
                if over && !r.rate_due {
                    r.rate_due = true;
                    (Some("is leaking"), r.count)
                } else {
                    (None, r.count)
                }
            }
        };
        let Some(what) = due else { return };
        // At most one warning per source per window.
        if st.last_alert.is_some_and(|t| now - t < self.window) {
            return;
        }
        if self.alerts_in_window >= self.cfg.max_alerts {
            self.held_back += 1;
            return;
        }
        st.last_alert = Some(now);
        self.alerts_in_window += 1;
        counters.alerts.fetch_add(1, Ordering::Relaxed);
        let rate = match self.cfg.rate {
            Some(n) if what == "is leaking" => format!(", over {n}"),
            _ => String::new(),
        };
        let _ = writeln!(
            io::stderr().lock(),
            "logredact: source {source} {what} kind={kind} rule={rule} \
             ({count} in {}s{rate})",
            self.cfg.window
        );
    }

    /// Once a second: ends the overall window, forgets idle sources and
    /// updates the gauges.
    pub(crate) fn tick(&mut self, now: Instant, counters: &Counters) {
        if now - self.window_start >= self.window {
            if self.held_back > 0 {
                let _ = writeln!(
                    io::stderr().lock(),
                    "logredact: {} more leak alerts held back in the last {}s",
                    self.held_back,
                    self.cfg.window
                );
            }
            self.held_back = 0;
            self.alerts_in_window = 0;
            self.window_start = now;
        }
        let forget = self.window * FORGET_WINDOWS;
        self.sources
            .retain(|_, s| s.last_seen.is_some_and(|t| now - t <= forget));
        let leaking = self
            .sources
            .values()
            .filter(|s| s.last_seen.is_some_and(|t| now - t <= self.window))
            .count();
        counters.leaking.store(leaking as u64, Ordering::Relaxed);
        counters.tracked.store(self.sources.len() as u64, Ordering::Relaxed);
    }

    fn evict_oldest(&mut self) {
        let oldest = self
            .sources
            .iter()
            .min_by_key(|(_, s)| s.last_seen)
            .map(|(k, _)| Arc::clone(k));
        if let Some(k) = oldest {
            self.sources.remove(&k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracker(rate: Option<u64>, max_sources: usize) -> Tracker {
        Tracker::new(&AlertConfig {
            rate,
            max_sources,
            ..AlertConfig::default()
        })
    }

    #[test]
    fn first_redaction_alerts_once_per_source_and_window() {
        let c = Counters::default();
        let mut t = tracker(None, 10);
        let a = Arc::new(Source::file("a.log"));
        let b = Arc::new(Source::file("b.log"));
        for _ in 0..5 {
            t.event(&a, (Some(0), 0), "card", "visa", &c);
        }
        // A second kind from the same source within the window: held.
        t.event(&a, (Some(1), 0), "cvv", "keyword", &c);
        assert_eq!(c.alerts(), 1);
        t.event(&b, (Some(0), 0), "card", "visa", &c);
        assert_eq!(c.alerts(), 2);
        assert_eq!(c.leaking_sources(), 2);
    }

    #[test]
    fn over_the_rate_alerts_again_in_a_later_window() {
        let c = Counters::default();
        let mut t = Tracker::new(&AlertConfig {
            rate: Some(2),
            window: 0.05,
            ..AlertConfig::default()
        });
        let a = Arc::new(Source::file("a.log"));
        t.event(&a, (Some(0), 0), "card", "visa", &c);
        std::thread::sleep(Duration::from_millis(80));
        // A new window: two are allowed, the third is over the rate.
        for _ in 0..2 {
            t.event(&a, (Some(0), 0), "card", "visa", &c);
        }
        assert_eq!(c.alerts(), 1);
        t.event(&a, (Some(0), 0), "card", "visa", &c);
        assert_eq!(c.alerts(), 2);
        // Once per window.
        t.event(&a, (Some(0), 0), "card", "visa", &c);
        assert_eq!(c.alerts(), 2);
    }

    #[test]
    fn sources_are_bounded() {
        let c = Counters::default();
        let mut t = tracker(Some(3), 2);
        for i in 0..5 {
            let s = Arc::new(Source::file(format!("{i}.log")));
            t.event(&s, (Some(0), 0), "card", "visa", &c);
        }
        assert_eq!(t.sources.len(), 2);
        assert_eq!(c.tracked_sources(), 2);
    }

    #[test]
    fn overall_limit_holds_back() {
        let c = Counters::default();
        let mut t = Tracker::new(&AlertConfig {
            max_alerts: 2,
            ..AlertConfig::default()
        });
        for i in 0..5 {
            let s = Arc::new(Source::file(format!("{i}.log")));
            t.event(&s, (Some(0), 0), "card", "visa", &c);
        }
        assert_eq!(c.alerts(), 2);
        assert_eq!(t.held_back, 3);
    }
}
