//! The simulated practice's Xero Practice Manager (XPM v3.1): its clients, generated to overlap
//! the simulated organisations the way a real practice's do, and their XML as XPM renders it.
//!
//! A real practice's XPM client list is not a copy of its Xero organisations: the same business
//! is often typed differently ("Pty Ltd" / "Pty. Ltd." / none, "&" / "and", case, commas), a few
//! are archived or deleted, some are prospects, some are entered twice, and many clients have no
//! Xero file at all. The generator does all of that from a seed, and remembers which organisation
//! each XPM client really is ([`XpmClient::org`], the *ground truth*), so link suggestions can be
//! measured against it.

use crate::data::Organisation;
use crate::render::Xml;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
pub use uuid::Uuid;

/// XPM's own host, where `WebUrl`s point.
pub const XPM_WEB_HOST: &str = "https://practicemanager.xero.com";

/// One client of the practice, as XPM keeps it.
#[derive(Clone, Debug, Serialize)]
pub struct XpmClient {
    pub uuid: Uuid,
    /// XPM's internal numeric id (only visible inside `WebUrl`).
    pub number: u64,
    pub name: String,
    pub email: Option<String>,
    /// Full tax number; the API shows it masked (`******123`).
    pub tax_number: Option<String>,
    pub client_code: Option<String>,
    pub is_prospect: bool,
    pub is_archived: bool,
    pub is_deleted: bool,
    /// Last change, Unix ms on the simulator's clock (what `modifiedsince` compares).
    pub modified_ms: i64,
    /// Ground truth: the organisation this client really is, if it has a Xero file.
    pub org: Option<Uuid>,
}

impl XpmClient {
    pub fn web_url(&self) -> String {
        format!("{XPM_WEB_HOST}/Client/{}/Detail", self.number)
    }

    /// As XPM shows it: every digit but the last three masked.
    pub fn masked_tax_number(&self) -> Option<String> {
        let digits: String = self.tax_number.as_deref()?.chars().filter(char::is_ascii_digit).collect();
        (digits.len() > 3).then(|| format!("{}{}", "*".repeat(digits.len() - 3), &digits[digits.len() - 3..]))
    }
}

/// The practice: its XPM tenant and clients.
#[derive(Clone, Debug)]
pub struct Practice {
    /// The `PRACTICEMANAGER` tenant id in `/connections`.
    pub tenant_id: Uuid,
    pub clients: Vec<XpmClient>,
    pub index: HashMap<Uuid, usize>,
}

impl Practice {
    pub fn client(&self, uuid: &Uuid) -> Option<&XpmClient> {
        self.index.get(uuid).map(|&i| &self.clients[i])
    }
    pub fn client_mut(&mut self, uuid: &Uuid) -> Option<&mut XpmClient> {
        self.index.get(uuid).map(|&i| &mut self.clients[i])
    }

    /// Applies a change made in XPM at `now_ms`; false for an unknown client.
    pub fn edit(&mut self, uuid: Uuid, edit: &XpmEdit, now_ms: i64) -> bool {
        let Some(c) = self.client_mut(&uuid) else { return false };
        if let Some(name) = &edit.name {
            c.name = name.clone();
        }
        if let Some(archived) = edit.archived {
            c.is_archived = archived;
        }
        if let Some(deleted) = edit.deleted {
            c.is_deleted = deleted;
        }
        c.modified_ms = now_ms;
        true
    }
}

/// A change someone makes in XPM (only the `Some` fields change).
#[derive(Clone, Debug, Default, Serialize, serde::Deserialize)]
pub struct XpmEdit {
    pub name: Option<String>,
    pub archived: Option<bool>,
    pub deleted: Option<bool>,
}

const LEGAL_SUFFIXES: &[&str] = &["Pty Ltd", "Pty. Ltd.", "Pty Limited", "Limited", "Ltd", "Ltd.", "LLC", "Inc."];
const OWN_FIRST: &[&str] = &[
    "Abigail",
    "Bruno",
    "Camille",
    "Dmitri",
    "Eleanor",
    "Farid",
    "Greta",
    "Hamish",
    "Ingrid",
    "Joaquin",
    "Kiri",
    "Leopold",
    "Marama",
    "Nikolai",
    "Ottilie",
    "Pania",
    "Quentin",
    "Rosalind",
    "Sebastian",
    "Tamsin",
    "Ulrich",
    "Violet",
    "Wiremu",
    "Xanthe",
    "Yusuf",
    "Zelda",
    "Anahera",
    "Bartholomew",
    "Cordelia",
    "Desmond",
];
const OWN_LAST: &[&str] = &[
    "Abernethy",
    "Blackwood",
    "Castellanos",
    "Dunmore",
    "Eriksen",
    "Fairweather",
    "Galbraith",
    "Hollingsworth",
    "Ishikawa",
    "Jankowski",
    "Kaufmann",
    "Lindqvist",
    "Montgomery",
    "Novak",
    "Okonkwo",
    "Pemberton",
    "Quarrie",
    "Rutherford",
    "Sandoval",
    "Thorncroft",
    "Underhill",
    "Vasquez",
    "Whitlock",
    "Yamamoto",
    "Zielinski",
    "Ashcombe",
    "Brightwater",
    "Carrington",
    "Delacroix",
    "Ellsworth",
];
const OWN_TRADES: &[&str] = &[
    "Orchards",
    "Aviation",
    "Marine Services",
    "Antiques",
    "Tutoring",
    "Apiaries",
    "Glassworks",
    "Saddlery",
    "Chiropractic",
    "Optometry",
    "Locksmiths",
    "Upholstery",
    "Ceramics",
    "Taxidermy",
    "Stonemasons",
    "Arborists",
    "Podiatry",
    "Cartography",
    "Distillery",
    "Pet Grooming",
];

fn pick<'a>(rng: &mut ChaCha8Rng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

fn uuid_from(rng: &mut ChaCha8Rng) -> Uuid {
    let mut bytes = [0u8; 16];
    rng.fill(&mut bytes);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// A name XPM staff might have typed for this organisation: its name, its legal name, or one
/// of them with a different legal suffix, `&`/`and`, case or punctuation.
fn name_variant(rng: &mut ChaCha8Rng, org: &Organisation) -> String {
    let base = if rng.random_bool(0.7) { org.name.clone() } else { org.legal_name.clone() };
    match rng.random_range(0..10) {
        0..=3 => base,
        4 => base.to_uppercase(),
        5 => base.replace(" & ", " and "),
        6 => {
            // another legal suffix (or one added)
            let stripped = LEGAL_SUFFIXES
                .iter()
                .fold(base.clone(), |s, suf| s.strip_suffix(&format!(" {suf}")).map(str::to_owned).unwrap_or(s));
            format!("{stripped} {}", pick(rng, LEGAL_SUFFIXES))
        }
        7 => base.replace(" Pty Ltd", " Pty. Ltd.").replace(" Ltd", " Ltd.").replace(" and ", " & "),
        8 => format!("{},", base).replace(" & ", " &  ").to_lowercase(),
        _ => base.replacen(' ', "  ", 1),
    }
}

fn own_name(rng: &mut ChaCha8Rng) -> String {
    match rng.random_range(0..3) {
        0 => format!("{} {}", pick(rng, OWN_FIRST), pick(rng, OWN_LAST)),
        1 => format!("{} {} Ltd", pick(rng, OWN_LAST), pick(rng, OWN_TRADES)),
        _ => format!("{} & {} {}", pick(rng, OWN_LAST), pick(rng, OWN_LAST), pick(rng, OWN_TRADES)),
    }
}

/// Generates a practice of `size` XPM clients over `orgs`, from `seed`.
///
/// About 85% of the (non-demo) organisations get a client (2% of those a second, archived
/// duplicate; 3% archived; 1% deleted); the rest of `size` are prospects and clients with no
/// Xero file, whose names never coincide with an organisation's. `now_ms` stamps `modified_ms`.
pub fn generate_practice(seed: u64, orgs: &[Organisation], size: usize, now_ms: i64) -> Practice {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5850_4d00);
    let tenant_id = uuid_from(&mut rng);
    let mut clients: Vec<XpmClient> = Vec::with_capacity(size);
    let org_names: HashSet<String> = orgs.iter().flat_map(|o| [rough(&o.name), rough(&o.legal_name)]).collect();
    let mut next_number = 100_000u64;
    let mut push = |rng: &mut ChaCha8Rng, clients: &mut Vec<XpmClient>, name: String, org: Option<&Organisation>| {
        next_number += 1 + rng.random_range(0..7u64);
        let email = match org {
            Some(o) if rng.random_bool(0.6) => o.users.first().map(|u| u.email.clone()),
            None if rng.random_bool(0.5) => Some(format!("accounts{}@client{}.example", next_number % 97, next_number)),
            _ => None,
        };
        let tax_number = match org {
            Some(o) => o.tax_number.clone().or_else(|| o.employer_identification_number.clone()),
            None => rng.random_bool(0.6).then(|| format!("{:09}", rng.random_range(0..1_000_000_000u64))),
        };
        clients.push(XpmClient {
            uuid: uuid_from(rng),
            number: next_number,
            name,
            email,
            tax_number,
            client_code: rng.random_bool(0.7).then(|| format!("C{:05}", next_number % 100_000)),
            is_prospect: false,
            is_archived: false,
            is_deleted: false,
            modified_ms: now_ms - rng.random_range(1..=400i64) * 86_400_000,
            org: org.map(|o| o.organisation_id),
        });
    };

    for org in orgs.iter().filter(|o| !o.is_demo) {
        if clients.len() >= size {
            break;
        }
        if !rng.random_bool(0.85) {
            continue; // a Xero file the practice never entered in XPM
        }
        let name = name_variant(&mut rng, org);
        push(&mut rng, &mut clients, name, Some(org));
        let roll = rng.random_range(0..100);
        let last = clients.len() - 1;
        match roll {
            0..=2 => clients[last].is_archived = true,
            3 => clients[last].is_deleted = true,
            4..=5 if clients.len() < size => {
                // entered twice; the older entry archived
                let name = name_variant(&mut rng, org);
                push(&mut rng, &mut clients, name, Some(org));
                let dup = clients.len() - 1;
                clients[dup].is_archived = true;
            }
            _ => {}
        }
    }
    while clients.len() < size {
        let name = own_name(&mut rng);
        if org_names.contains(&rough(&name)) {
            continue;
        }
        push(&mut rng, &mut clients, name, None);
        let last = clients.len() - 1;
        match rng.random_range(0..100) {
            0..=11 => clients[last].is_prospect = true,
            12..=15 => clients[last].is_archived = true,
            16 => clients[last].is_deleted = true,
            _ => {}
        }
    }
    let index = clients.iter().enumerate().map(|(i, c)| (c.uuid, i)).collect();
    Practice { tenant_id, clients, index }
}

/// Lower case, letters and digits only: only used to keep invented names clear of real ones.
fn rough(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn yes_no(b: bool) -> &'static str {
    if b { "Yes" } else { "No" }
}

/// One `<Client>` element, fields in the order of XPM's documented example.
pub fn write_client(x: &mut Xml, c: &XpmClient, detailed: bool) {
    x.open("Client");
    x.el("UUID", &c.uuid.to_string());
    x.el("Name", &c.name);
    x.empty("Title").empty("Gender").empty("FirstName").empty("LastName").empty("OtherName");
    x.el("Email", c.email.as_deref().unwrap_or(""));
    x.empty("DateOfBirth");
    x.empty("Address").empty("City").empty("Region").empty("PostCode").empty("Country");
    x.empty("PostalAddress").empty("PostalCity").empty("PostalRegion").empty("PostalPostCode").empty("PostalCountry");
    x.empty("Phone").empty("Fax").empty("Website").empty("ReferralSource");
    x.el("ExportCode", c.client_code.as_deref().unwrap_or(""));
    x.el("IsProspect", yes_no(c.is_prospect));
    x.el("IsArchived", yes_no(c.is_archived));
    x.el("IsDeleted", yes_no(c.is_deleted));
    x.open("AccountManager")
        .el("UUID", "dc48df15-1a5c-4675-9d82-4ca54e2c6e86")
        .el("Name", "Jo Blogs")
        .close("AccountManager");
    x.open("Type")
        .el("Name", "20th of Month")
        .el("CostMarkup", "30.00")
        .el("PaymentTerm", "DayOfMonth")
        .el("PaymentDay", "20")
        .close("Type");
    x.empty("Contacts");
    x.el("ClientCode", c.client_code.as_deref().unwrap_or(""));
    x.el("TaxNumber", c.masked_tax_number().as_deref().unwrap_or(""));
    x.empty("CompanyNumber").empty("BusinessNumber").empty("BusinessStructure");
    if detailed {
        x.empty("Notes").empty("Groups").empty("Relationships");
    }
    x.el("WebUrl", &c.web_url());
    x.close("Client");
}

/// `<Response api-method="…"><Status>OK</Status><Clients>…</Clients>[pagination]</Response>`.
pub fn list_xml<'a>(
    method: &str,
    clients: impl Iterator<Item = &'a XpmClient>,
    detailed: bool,
    links: Option<(String, Option<String>)>,
) -> String {
    let mut x = Xml::new();
    x.open_with("Response", &format!("api-method=\"{method}\""));
    x.el("Status", "OK");
    x.open("Clients");
    for c in clients {
        write_client(&mut x, c, detailed);
    }
    x.close("Clients");
    if let Some((first, next)) = links {
        x.open("Pagination").open("Links");
        x.el("First", &first);
        x.el("Next", next.as_deref().unwrap_or(""));
        x.close("Links").close("Pagination");
    }
    x.close("Response");
    x.finish()
}

/// `client.api/get/{uuid}`: `WebUrl` at the response level, as in XPM's documented example.
pub fn get_xml(c: &XpmClient) -> String {
    let mut x = Xml::new();
    x.open_with("Response", "api-method=\"Get\"");
    x.el("Status", "OK");
    x.el("WebUrl", &c.web_url());
    write_client(&mut x, c, true);
    x.close("Response");
    x.finish()
}

/// XPM's error answer: `<Response><Status>ERROR</Status><ErrorDescription>…`.
pub fn error_xml(description: &str) -> String {
    let mut x = Xml::new();
    x.open("Response");
    x.el("Status", "ERROR");
    x.el("ErrorDescription", description);
    x.close("Response");
    x.finish()
}
