//! A payment service logging through `tracing`, redacted in-process.
//!
//! `cargo run --example tracing --features tracing`
//!
//! Every event goes through `logredact::tracing::layer()`: a `fmt` layer
//! whose field formatter masks values under their field names (key
//! rules: `password`, `card_number`, `cvv` …) and whose writer redacts
//! the formatted line before it reaches stdout.

use tracing::{error, info, info_span, warn};
use tracing_subscriber::prelude::*;

/// What a payment provider answered.
#[derive(Debug)]
struct Declined {
    code: &'static str,
}

impl std::fmt::Display for Declined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "card declined ({})", self.code)
    }
}

impl std::error::Error for Declined {}

fn charge(pan: &str, cvv: u16, api_key: &str) -> Result<(), Declined> {
    let span = info_span!("charge", card = %pan, customer = "Jane Roe");
    let _g = span.enter();
    info!(api_key, "calling the provider with key {}", api_key);
    warn!(cvv, password = "hunter2", "retrying with the stored credentials");
    Err(Declined { code: "insufficient_funds" })
}

fn main() {
    tracing_subscriber::registry()
        .with(logredact::tracing::layer().without_time().with_target(false))
        .init();

    info!(order_id = "ord_8Hq2LmP0", amount = 4250, "charge requested");
    if let Err(e) =
        charge("4242 4242 4242 4242", 737, "sk_live_51Hx9QeLkJ2mN4pR7sT0vW3yZ")
    {
        let e: &(dyn std::error::Error + 'static) = &e;
        error!(
            error = e,
            card_number = "4242424242424242",
            "payment failed for Jane Roe, IBAN DE89370400440532013000"
        );
    }
}
