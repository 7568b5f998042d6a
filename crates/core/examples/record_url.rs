//! A stand-in for the system browser in tests (`SWITCHBOARD_BROWSER`): appends the URL it is
//! given, one per line, to the file named by `RECORD_URL_TO`. A program rather than a shell
//! script, so the same test runs on Windows.

use std::io::Write;

fn main() {
    let url = std::env::args().nth(1).expect("record_url takes the URL to record");
    let log = std::env::var_os("RECORD_URL_TO").expect("RECORD_URL_TO names the file to append to");
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(log).expect("the log file opens");
    // One write call for the whole line: two browsers started side by side append at once, and
    // `writeln!` may write the URL and its line break in separate calls that interleave.
    file.write_all(format!("{url}\n").as_bytes()).expect("the URL is written");
}
