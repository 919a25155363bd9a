//! Cost per `tracing` event of the fmt layer with and without redaction
//! (feature `tracing`), writing to `io::sink()`: a clean event and one
//! with secrets, in the full and the JSON format. `writer_only` redacts
//! with the writer alone (default field formatter), to show what each
//! part costs.
//!
//! `cargo bench --features tracing --bench tracing`; CI only compiles it.

use std::io;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tracing::dispatcher::{self, Dispatch};
use tracing::{info, warn};
use tracing_subscriber::fmt;
use tracing_subscriber::prelude::*;

use logredact::tracing::Redactor;

const PAN: &str = "4242424242424242";
const STRIPE: &str = "sk_live_51Hx9QeLkJ2mN4pR7sT0vW3yZ";

fn clean() {
    info!(
        order_id = "ord_8Hq2LmP0",
        amount = 4250,
        currency = "eur",
        "charge created in {} ms",
        212
    );
}

fn secret() {
    warn!(card_number = %PAN, cvv = 737, "charge failed, key {}", STRIPE);
}

fn events(c: &mut Criterion) {
    let r = Redactor::default();
    let sink = || io::sink();
    let setups: [(&str, Dispatch); 5] = [
        (
            "full/fmt",
            Dispatch::new(
                tracing_subscriber::registry()
                    .with(fmt::layer().with_ansi(false).with_writer(sink)),
            ),
        ),
        (
            "full/redacting",
            Dispatch::new(
                tracing_subscriber::registry().with(r.layer_with_writer(sink)),
            ),
        ),
        (
            "full/writer_only",
            Dispatch::new(tracing_subscriber::registry().with(
                fmt::layer().with_ansi(false).with_writer(r.make_writer(sink)),
            )),
        ),
        (
            "json/fmt",
            Dispatch::new(
                tracing_subscriber::registry().with(
                    fmt::layer().json().with_ansi(false).with_writer(sink),
                ),
            ),
        ),
        (
            "json/redacting",
            Dispatch::new(
                tracing_subscriber::registry().with(r.json_layer(sink)),
            ),
        ),
    ];
    let mut g = c.benchmark_group("event");
    g.throughput(Throughput::Elements(1));
    for (event, f) in [("clean", clean as fn()), ("secret", secret)] {
        for (name, d) in &setups {
            dispatcher::with_default(d, || {
                g.bench_function(format!("{name}/{event}"), |b| b.iter(f));
            });
        }
    }
    g.finish();
}

criterion_group!(benches, events);
criterion_main!(benches);
