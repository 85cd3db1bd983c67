//! The search files, in two forms made from the same model.
//!
//! - `cause-index.json` (`cause_index.rs`): the contract file, every article, cause and
//!   mention in one file, read whole by the search page and by anyone else who wants the
//!   reverse index from causes to the articles and sections that explain them.
//! - `search/` (`shards.rs`): the same documents split so that a query fetches only what it
//!   needs: a manifest, the shards of postings of the words it starts like, and the chunks
//!   of display records of the results it shows.
//!
//! Both forms are written by a build as they are made, and kept between rebuilds by `serve`
//! ([`IndexCache`], [`ShardCache`]) so that an edit makes again only what it touched.

mod cause_index;
mod shards;

pub(crate) use cause_index::{IndexCache, write_json, write_json_cached};
pub(crate) use shards::write_files;
pub use shards::{ShardCache, files, files_cached};
