//! `src/normalize/phone_plans.rs` is libphonenumber's metadata (the `phonenumber`
//! crate's copy) reduced to what hooknorm asks of it: for each country calling code,
//! the lengths of the national numbers dialable from anywhere. Kept as a table so
//! that a `+` number is judged without loading the whole metadata (about 60 ms);
//! this test keeps it equal to the crate's, and `HOOKNORM_BLESS=1` writes it anew.

use phonenumber::Type;
use std::collections::BTreeMap;

/// (calling code → national lengths, region → calling code).
fn from_the_crate() -> (BTreeMap<u16, Vec<u16>>, BTreeMap<String, u16>) {
    let database = &*phonenumber::metadata::DATABASE;
    let mut plans: BTreeMap<u16, Vec<u16>> = BTreeMap::new();
    let mut regions = BTreeMap::new();
    for plan in database.iter() {
        if plan.id().len() == 2 {
            regions.insert(plan.id().to_owned(), plan.country_code());
        }
        let lengths = plans.entry(plan.country_code()).or_default();
        for kind in [
            Type::FixedLine,
            Type::Mobile,
            Type::PersonalNumber,
            Type::Voip,
        ] {
            if let Some(descriptor) = plan.descriptors().get(kind) {
                lengths.extend(descriptor.possible_length());
            }
        }
        lengths.sort_unstable();
        lengths.dedup();
    }
    plans.retain(|_, lengths| !lengths.is_empty());
    (plans, regions)
}

fn render((plans, regions): &(BTreeMap<u16, Vec<u16>>, BTreeMap<String, u16>)) -> String {
    let mut out = String::from(
        "//! Written by `HOOKNORM_BLESS=1 cargo test --test phone_plans` from libphonenumber's\n\
         //! metadata (the `phonenumber` crate): do not edit by hand.\n\n\
         /// (country calling code, lengths of its national numbers dialable from anywhere:\n\
         /// fixed lines, mobiles, personal and VoIP numbers), sorted by code.\n\
         pub const PLANS: &[(u16, &[u8])] = &[\n",
    );
    for (code, lengths) in plans {
        let lengths: Vec<String> = lengths.iter().map(u16::to_string).collect();
        out.push_str(&format!("    ({code}, &[{}]),\n", lengths.join(", ")));
    }
    out.push_str(
        "];\n\n/// (ISO 3166-1 alpha-2 region, its country calling code), sorted by region.\n\
         pub const REGIONS: &[(&str, u16)] = &[\n",
    );
    for (region, code) in regions {
        out.push_str(&format!("    (\"{region}\", {code}),\n"));
    }
    out.push_str("];\n");
    out
}

#[test]
fn the_plan_table_is_the_crates_metadata() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/normalize/phone_plans.rs");
    let expected = render(&from_the_crate());
    if std::env::var_os("HOOKNORM_BLESS").is_some() {
        std::fs::write(&path, &expected).expect("writable");
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{} is stale: run HOOKNORM_BLESS=1 cargo test --test phone_plans",
        path.display()
    );
}
