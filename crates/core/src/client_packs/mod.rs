//! Client packs: what the Client Console delivers. A file's console settings decide what its pack
//! holds ([`contents`]); it is written as an email per console user ([`render`]), previewed by
//! staff, and sent through the practice's mail server ([`mail`]) on the file's cadence during
//! `switchboard sync` and on Send now ([`delivery`], [`session`]).

pub mod contents;
pub mod delivery;
pub mod mail;
pub mod render;
mod session;

pub use session::PackPreview;
