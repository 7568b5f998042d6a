//! The data generator: determinism, country mix, names, short codes, availability.

use std::collections::HashSet;
use xero_sim::{Country, generate};

#[test]
fn same_seed_same_data_other_seed_other_data() {
    let a = serde_json::to_string(&generate(7, 300, 3)).unwrap();
    let b = serde_json::to_string(&generate(7, 300, 3)).unwrap();
    assert_eq!(a, b, "same seed must give byte-identical data");
    let c = serde_json::to_string(&generate(8, 300, 3)).unwrap();
    assert_ne!(a, c, "another seed must give other data");
    // a prefix property: the first organisations don't depend on how many follow? not promised;
    // but the count is exact
    assert_eq!(generate(7, 0, 1).orgs.len(), 0);
    assert_eq!(generate(7, 1234, 1).orgs.len(), 1234);
}

#[test]
fn country_mix_currencies_and_regions() {
    let d = generate(1, 400, 2);
    for c in [Country::AU, Country::NZ, Country::UK, Country::US] {
        let n = d.orgs.iter().filter(|o| o.country == c).count();
        assert!(n >= 30, "{c:?} has only {n} of 400");
    }
    for o in &d.orgs {
        let (code, cur) = match o.country {
            Country::AU => ("AU", "AUD"),
            Country::NZ => ("NZ", "NZD"),
            Country::UK => ("GB", "GBP"),
            Country::US => ("US", "USD"),
        };
        assert_eq!(o.country.country_code(), code);
        assert_eq!(o.country.currency(), cur);
        match o.country {
            Country::AU => assert_eq!((o.financial_year_end_day, o.financial_year_end_month), (30, 6)),
            Country::NZ => assert_eq!((o.financial_year_end_day, o.financial_year_end_month), (31, 3)),
            Country::US => {
                assert_eq!((o.financial_year_end_day, o.financial_year_end_month), (31, 12));
                assert!(!o.has_payroll, "US organisations have no Xero payroll API");
                assert!(o.employer_identification_number.is_some());
            }
            Country::UK => assert_eq!(o.timezone, "GMTSTANDARDTIME"),
        }
        assert!(!o.users.is_empty());
        assert!(o.users.iter().filter(|u| u.is_subscriber).count() == 1);
    }
}

#[test]
fn names_short_codes_demo_companies_and_availability() {
    let d = generate(3, 250, 2);
    let codes: HashSet<_> = d.orgs.iter().map(|o| o.short_code.clone()).collect();
    assert_eq!(codes.len(), 250, "short codes are unique");
    for o in &d.orgs {
        assert!(o.short_code.starts_with('!') && o.short_code.len() == 6, "{}", o.short_code);
        assert!(o.short_code[1..].chars().all(|c| c.is_ascii_alphanumeric()));
        assert!(!o.name.is_empty() && !o.legal_name.is_empty());
        if o.organisation_type == "COMPANY" && !o.is_demo {
            let ok = match o.country {
                Country::AU => o.legal_name.ends_with("Pty Ltd") || o.legal_name.ends_with("Pty Limited"),
                Country::NZ => o.legal_name.ends_with("Limited") || o.legal_name.ends_with("Ltd"),
                Country::UK => o.legal_name.ends_with("Ltd") || o.legal_name.ends_with("Limited"),
                Country::US => {
                    o.legal_name.ends_with("Inc") || o.legal_name.ends_with("Inc.") || o.legal_name.ends_with("Corp.")
                }
            };
            assert!(ok, "{:?} company with legal name {}", o.country, o.legal_name);
        }
        if o.organisation_type == "LLC" {
            assert!(o.legal_name.ends_with("LLC"));
        }
    }
    let demos: Vec<_> = d.orgs.iter().filter(|o| o.is_demo).collect();
    assert!((1..=4).contains(&demos.len()), "a few demo companies: {}", demos.len());
    for o in &demos {
        assert_eq!(o.class, "DEMO");
        assert_eq!(o.name, format!("Demo Company ({})", o.country.version()));
    }
    assert!(demos.iter().any(|o| o.name == "Demo Company (AU)"));
    let payroll_regions: Vec<_> = d.orgs.iter().filter(|o| o.country != Country::US).collect();
    assert!(payroll_regions.iter().any(|o| o.has_payroll));
    assert!(payroll_regions.iter().any(|o| !o.has_payroll), "some organisations lack payroll");
    assert!(d.orgs.iter().any(|o| o.has_assets));
    assert!(d.orgs.iter().any(|o| !o.has_assets), "some organisations lack assets");
    // staff: user 0 sees everything, the other a subset
    assert_eq!(d.staff[0].orgs.len(), 250);
    assert!(d.staff[1].orgs.len() < 250 && !d.staff[1].orgs.is_empty());
}

#[test]
fn a_synchronous_caller_can_run_the_simulator() {
    use std::io::{Read, Write};
    let sim = xero_sim::Simulator::start_blocking(xero_sim::SimConfig::default().orgs(4)).unwrap();
    let mut stream = std::net::TcpStream::connect(sim.addr()).unwrap();
    write!(stream, "GET /_sim/state HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    assert!(out.contains("\"orgs\":4"));
    assert_eq!(sim.orgs().len(), 4);
    let addr = sim.addr();
    drop(sim);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    while std::net::TcpStream::connect(addr).is_ok() {
        assert!(std::time::Instant::now() < deadline, "still listening after drop");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
