//! `switchboard-sim --orgs 250 --port 0 --seed 1 [--latency-ms 50] [--auto-consent]
//! [--tier starter|core|plus|advanced|enterprise] [--tls-cert cert.pem --tls-key key.pem]`
//!
//! Runs the Xero simulator until Ctrl-C, printing where it listens and what to configure.

use clap::Parser;
use std::time::Duration;
use xero_sim::{AutoConsent, Country, SimClient, SimConfig, SimTls, Simulator, Tier, endpoint_lines};

#[derive(Parser, Debug)]
#[command(name = "switchboard-sim", about = "A local simulator of the Xero APIs Switchboard uses")]
struct Args {
    /// Number of organisations to generate.
    #[arg(long, default_value_t = 250)]
    orgs: usize,
    /// Port on 127.0.0.1 (0 = any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Seed for the data generator and random faults.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Latency added to every request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Random extra latency, 0..=N milliseconds.
    #[arg(long, default_value_t = 0)]
    jitter_ms: u64,
    /// Skip the consent page: grant every organisation of the first staff user.
    #[arg(long)]
    auto_consent: bool,
    /// Number of practice staff users (user 0 sees every organisation).
    #[arg(long, default_value_t = 2)]
    staff_users: usize,
    /// Client id of the registered app (default: the built-in PKCE client).
    #[arg(long)]
    client_id: Option<String>,
    /// Client secret, for a "Web app" client.
    #[arg(long)]
    client_secret: Option<String>,
    /// Registered redirect URI (repeatable; default: http://localhost:{53682..53686}/callback).
    #[arg(long = "redirect-uri")]
    redirect_uris: Vec<String>,
    /// The app's Xero tier: starter, core, plus, advanced or enterprise (its connection cap,
    /// daily call limit, one organisation per consent and no XPM below advanced).
    #[arg(long, default_value = "advanced")]
    tier: Tier,
    /// Clients in the practice's XPM (default: 1.5 × the organisations + 10; up to 15,000+).
    #[arg(long)]
    xpm_clients: Option<usize>,
    /// Serve HTTPS with this certificate chain (PEM, the server's certificate first).
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<std::path::PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<std::path::PathBuf>,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let mut client = SimClient::default();
    if let Some(id) = args.client_id {
        client.client_id = id;
    }
    client.client_secret = args.client_secret;
    if !args.redirect_uris.is_empty() {
        client.redirect_uris = args.redirect_uris;
    }
    let mut config = SimConfig::default()
        .orgs(args.orgs)
        .port(args.port)
        .seed(args.seed)
        .staff_users(args.staff_users)
        .clients(vec![client.clone()])
        .tier(args.tier)
        .latency_jitter(Duration::from_millis(args.latency_ms), Duration::from_millis(args.jitter_ms));
    if args.auto_consent {
        config = config.auto_consent(AutoConsent::all());
    }
    if let Some(n) = args.xpm_clients {
        config = config.xpm_clients(n);
    }
    if let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) {
        let read = |path: &std::path::Path| {
            std::fs::read_to_string(path).unwrap_or_else(|e| {
                eprintln!("switchboard-sim: cannot read {}: {e}", path.display());
                std::process::exit(1);
            })
        };
        config = config.tls(SimTls { cert_chain_pem: read(cert), key_pem: read(key) });
    }
    let sim = match Simulator::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("switchboard-sim: {e}");
            std::process::exit(1);
        }
    };
    let base = sim.base_url();
    let orgs = sim.orgs();
    let count = |c: Country| orgs.iter().filter(|o| o.country == c).count();
    println!("switchboard-sim listening on {base}");
    for line in endpoint_lines(&base) {
        println!("  {line}");
    }
    println!(
        "  client_id:   {}{}",
        client.client_id,
        if client.client_secret.is_some() { " (web app, secret required)" } else { " (PKCE, no secret)" }
    );
    for uri in &client.redirect_uris {
        println!("  redirect:    {uri}");
    }
    println!(
        "  data:        {} organisations (AU {}, NZ {}, UK {}, US {}), seed {}, latency {} ms, consent {}",
        orgs.len(),
        count(Country::AU),
        count(Country::NZ),
        count(Country::UK),
        count(Country::US),
        args.seed,
        args.latency_ms,
        if args.auto_consent { "automatic" } else { "page" }
    );
    let tier = args.tier;
    let cap = tier.connection_limit().map_or("no connection cap".to_string(), |n| format!("up to {n} connections"));
    let consent = if tier.bulk_connections() {
        "several organisations per consent, XPM"
    } else {
        "one organisation per consent, no XPM"
    };
    println!("  tier:        {tier} ({cap}, {} calls per organisation per day, {consent})", tier.calls_per_day());
    for s in sim.staff() {
        println!("  staff user:  {} {} <{}> ({} organisations)", s.first_name, s.last_name, s.email, s.orgs.len());
    }
    println!("SIM_BASE_URL={base}");
    let _ = tokio::signal::ctrl_c().await;
    sim.shutdown().await;
}
