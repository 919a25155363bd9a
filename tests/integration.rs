//! The one integration test binary (one link, as in the regex crate).

mod architecture;
mod blocks;
mod cases;
mod cli;
mod custom;
mod formats;
mod parallel;
// The prefilter is tested against its hooks (feature `internals`).
#[cfg(feature = "internals")]
mod prefilter;
mod props;
mod vectors;
