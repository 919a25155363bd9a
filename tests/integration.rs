//! The one integration test binary (one link, as in the regex crate).

mod cases;
mod cli;
mod custom;
mod formats;
mod parallel;
mod prefilter;
mod props;
mod vectors;
