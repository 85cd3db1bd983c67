//! The search files, in two forms made from the same model.
//!
//! - `cause-index.json` (`cause_index.rs`), the contract file: every article, cause and
//!   mention in one file, the reverse index from causes to the articles and sections that
//!   explain them (format in docs/content.md). The search page falls back to it when a site
//!   has no shards.
//! - `search/` (`shards.rs`), the sharded index: the same documents split so that a query
//!   fetches only what it needs — a manifest, the shards of postings of the words it starts
//!   like, and the chunks of display records of the results it shows.
//!
//! The shards are made from the words of each document (`words.rs`, `fields.rs`), numbered
//! in the order the search ranks ties in (`order.rs`), as postings (`postings.rs`) written in
//! a compact JSON (`encode.rs`), beside the display records (`records.rs`). A build writes
//! both forms as they are made. Each form has one writer, which both a one-off build and
//! `serve` call with a cache: a build's keeps nothing; `serve`'s ([`IndexCache::kept`],
//! [`ShardCache::kept`] in `update.rs`) keeps what the files were made from, so that an
//! edit makes again only what it touched. What changed is told by each article's
//! [`Revision`](crate::site::Revision).

mod cause_index;
mod encode;
mod fields;
mod order;
mod postings;
mod records;
mod shards;
mod stemmers;
mod stop_words;
#[cfg(test)]
mod testing;
mod update;
mod vocabulary;
mod words;

pub use cause_index::{IndexCache, write_json};
pub use shards::{Emit, files};
pub use update::{ShardCache, collect_files, write_files};
