//! The order the Client Connections screen first lists the files in: by display name, ignoring
//! case and accents, ties broken by id.
//!
//! The screen sorts for itself (`buildModel` in `ui/src/lib/table-model.ts`). The core needs the
//! same order only to send the first screen of rows ahead of the rest, so the two must agree:
//! lower-case the name; if it is not ASCII, decompose it (NFKD) and drop the combining marks
//! U+0300–U+036F; compare the results as UTF-16 code units, as JavaScript compares strings (which
//! puts U+10000 and above before U+E000–U+FFFF, unlike Rust's `str` order).

use icu_normalizer::DecomposingNormalizerBorrowed;

use crate::model::FileId;

/// The key a name sorts by.
pub fn sort_key(name: &str) -> Vec<u16> {
    let lower = name.to_lowercase();
    if lower.is_ascii() {
        return lower.bytes().map(u16::from).collect();
    }
    let decomposed = DecomposingNormalizerBorrowed::new_nfkd().normalize(&lower);
    let mut key = Vec::with_capacity(decomposed.len());
    let mut units = [0u16; 2];
    for c in decomposed.chars().filter(|c| !('\u{300}'..='\u{36f}').contains(c)) {
        key.extend_from_slice(c.encode_utf16(&mut units));
    }
    key
}

/// The ids of the first `limit` files in name order, from each file's [`sort_key`] and id.
pub fn first_in_order(mut keyed: Vec<(Vec<u16>, FileId)>, limit: usize) -> Vec<FileId> {
    if limit == 0 {
        return Vec::new();
    }
    if keyed.len() > limit {
        keyed.select_nth_unstable(limit - 1);
        keyed.truncate(limit);
    }
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, id)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keyed(names: &[&str]) -> Vec<(Vec<u16>, FileId)> {
        names.iter().enumerate().map(|(i, name)| (sort_key(name), FileId(i as i64 + 1))).collect()
    }

    fn order(names: &[&str]) -> Vec<i64> {
        first_in_order(keyed(names), names.len()).into_iter().map(|id| id.0).collect()
    }

    #[test]
    fn case_and_accents_do_not_change_the_order_and_ties_go_by_id() {
        // ids:          1          2          3         4          5        6
        let names = ["émile", "Emile", "zebra", "Ángel", "apple", "EMILE"];
        assert_eq!(order(&names), vec![4, 5, 1, 2, 6, 3]);
    }

    #[test]
    fn names_compare_as_utf16_code_units_like_javascript() {
        // U+FF21 (fullwidth A) decomposes to "a" under NFKD. An emoji (a surrogate pair, D83D …)
        // comes before U+E000 (private use, kept as it is) in UTF-16, but after it in UTF-8.
        let names = ["\u{E000} private", "\u{1F600} smile", "\u{FF21}lpha", "beta"];
        assert_eq!(order(&names), vec![3, 4, 2, 1]);
    }

    #[test]
    fn the_first_rows_are_the_first_of_the_whole_order() {
        // Every name twice, so ties by id decide too.
        let names: Vec<String> = (0..500).map(|i| format!("Client {}", (i * 7919) % 250)).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let all = first_in_order(keyed(&names), names.len());
        for limit in [0, 1, 37, 499, 500, 800] {
            assert_eq!(first_in_order(keyed(&names), limit), all[..limit.min(all.len())], "limit {limit}");
        }
    }
}
