//! Made-up practices for benchmarks, end-to-end tests and screenshots: deterministic for a seed,
//! with every state of every column represented. Never written into a real practice's cache by
//! the app; only tools and tests call this.

use crate::model::{
    AccountingSoftware, ClientFileDraft, ConnectionState, ServiceState, SyncRecord, UnavailableReason, UnixMillis,
    XeroIds, XpmClient,
};

/// A small, fast, deterministic generator (SplitMix64): fixtures need repeatability, not quality.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const FIRST: &[&str] = &[
    "Maple",
    "Harbour",
    "Southern Cross",
    "Kauri",
    "Thistle",
    "Blue Gum",
    "Wattle",
    "Riverside",
    "Summit",
    "Coastal",
    "Ironbark",
    "Greenfield",
    "Kōwhai",
    "Old Mill",
    "Pacific",
    "Highland",
    "Lakeside",
    "Banksia",
    "Redwood",
    "Silver Fern",
    "Northgate",
    "Copperleaf",
    "Saltbush",
    "Tui",
];
const SECOND: &[&str] = &[
    "Florist",
    "Plumbing",
    "Dental",
    "Cafe",
    "Joinery",
    "Logistics",
    "Physio",
    "Vineyard",
    "Electrical",
    "Bakery",
    "Architects",
    "Motors",
    "Landscaping",
    "Pharmacy",
    "Brewing",
    "Consulting",
    "Builders",
    "Veterinary",
    "Print & Design",
    "Surf School",
];
const SUFFIX: &[&str] = &["Pty Ltd", "Ltd", "Limited", "& Co", "Trust", "", "LLC", "Partners"];

/// A practice of `count` client files (and the XPM clients some of them link to), synced
/// recently as of now.
pub fn practice(count: usize, seed: u64) -> (Vec<XpmClient>, Vec<ClientFileDraft>) {
    practice_as_of(count, seed, UnixMillis::now())
}

/// The same practice as of `now`: equal inputs give equal practices.
pub fn practice_as_of(count: usize, seed: u64, now: UnixMillis) -> (Vec<XpmClient>, Vec<ClientFileDraft>) {
    let mut rng = Rng(seed);
    let now = now.0;
    let mut xpm_clients = Vec::new();
    let mut files = Vec::with_capacity(count);
    for i in 0..count {
        let name = format!("{} {} {}", rng.pick(FIRST), rng.pick(SECOND), rng.pick(SUFFIX)).trim_end().to_owned();
        let name = format!("{name} #{}", i + 1);
        let software = match rng.below(20) {
            0..=14 => AccountingSoftware::Xero,
            15 => AccountingSoftware::QuickbooksOnline,
            16 => AccountingSoftware::Myob,
            17 => AccountingSoftware::Other("Sage Business Cloud".to_owned()),
            _ => AccountingSoftware::None,
        };
        let is_xero = software == AccountingSoftware::Xero;
        let connection = if !is_xero {
            ConnectionState::NotConnected
        } else {
            match rng.below(20) {
                0..=14 => ConnectionState::Connected,
                15 | 16 => ConnectionState::NeedsReconnect {
                    reason: "The refresh token expired after 60 days without use.".to_owned(),
                },
                17 => ConnectionState::Disconnected {
                    reason: "The organisation is no longer in Xero's list of connections.".to_owned(),
                },
                _ => ConnectionState::NotConnected,
            }
        };
        let probed = is_xero && connection != ConnectionState::NotConnected;
        let service = |rng: &mut Rng| {
            if !probed {
                return ServiceState::NotChecked;
            }
            match rng.below(10) {
                0..=5 => ServiceState::Connected,
                6 => ServiceState::Unavailable { reason: UnavailableReason::NotSubscribed },
                7 => ServiceState::Unavailable { reason: UnavailableReason::ScopeNotGranted },
                8 => ServiceState::Unavailable { reason: UnavailableReason::NotSetUp },
                _ => ServiceState::DisconnectedByStaff,
            }
        };
        let payroll = service(&mut rng);
        let fixed_assets = service(&mut rng);
        let xero = is_xero.then(|| XeroIds {
            tenant_id: uuid_like(&mut rng),
            connection_id: probed.then(|| uuid_like(&mut rng)),
            short_code: probed.then(|| short_code(&mut rng)),
        });
        let xpm_client_uuid = (rng.below(3) != 0).then(|| {
            let uuid = uuid_like(&mut rng);
            xpm_clients.push(XpmClient {
                uuid: uuid.clone(),
                name: name.clone(),
                web_url: Some(format!("https://practicemanager.xero.com/Client/{}/Detail", 100_000 + i)),
                archived: rng.below(40) == 0,
                deleted: false,
            });
            uuid
        });
        let sync = if probed {
            let success = now - rng.below(36 * 3600 * 1000) as i64;
            let failed = rng.below(15) == 0;
            SyncRecord {
                last_success_at: Some(UnixMillis(success)),
                last_attempt_at: Some(UnixMillis(if failed { now - 60_000 } else { success })),
                last_error: failed.then(|| "Xero answered 503 Service Unavailable; will retry.".to_owned()),
            }
        } else {
            SyncRecord::default()
        };
        files.push(ClientFileDraft {
            remote_name: probed.then(|| name.clone()),
            display_name: name,
            software,
            connection,
            payroll,
            fixed_assets,
            xero,
            xpm_client_uuid,
            sync,
        });
    }
    (xpm_clients, files)
}

fn uuid_like(rng: &mut Rng) -> String {
    let (a, b) = (rng.next(), rng.next());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        (b >> 48) & 0x3fff | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

fn short_code(rng: &mut Rng) -> String {
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    let tail: String = (0..5).map(|_| *rng.pick(CHARS) as char).collect();
    format!("!{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_practice() {
        let now = UnixMillis(1_764_000_000_000);
        assert_eq!(practice_as_of(50, 7, now), practice_as_of(50, 7, now));
        assert_ne!(practice_as_of(50, 7, now).1, practice_as_of(50, 8, now).1);
    }

    #[test]
    fn a_large_practice_has_every_connection_state() {
        let (_, files) = practice(500, 1);
        for code in ["connected", "not_connected", "needs_reconnect", "disconnected"] {
            assert!(files.iter().any(|f| f.connection.code() == code), "no {code}");
        }
    }
}
