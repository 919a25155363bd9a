//! `logredact serve` end to end: the binary as a child process, real
//! shippers (rsyslog, util-linux logger), test sinks on 127.0.0.1. Every
//! wait is bounded in time; ports are picked by binding to port 0.

mod audit;
mod blocks;
mod common;
mod faults;
mod flow;
mod shippers;
mod tls;
