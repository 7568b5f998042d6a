//! Client packs: what a client file's Client Console sends to the client by email, through the
//! practice's own mail server ([`mail`]).

pub mod mail;
