//! `causeway serve`: the site kept in memory, rebuilt on every save, served over HTTP with
//! live reload and errors shown in the page.

pub mod workspace;
