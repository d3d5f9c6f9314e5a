use super::*;
use crate::normalise::Normaliser;
use crate::record::RawRecord;
use crate::vocab::Vocabs;
use proptest::prelude::*;

fn pair(a: RawRecord<'_>, b: RawRecord<'_>) -> Gamma {
    let mut v = Vocabs::default();
    let n = Normaliser::new(2026);
    let (x, _) = n.normalise(&a, &mut v);
    let (y, _) = n.normalise(&b, &mut v);
    compare(&x, &y, &v)
}

fn person<'a>(given: &'a str, surname: &'a str, dob: &'a str) -> RawRecord<'a> {
    RawRecord { given_name: given, surname, dob, ..RawRecord::default() }
}

#[test]
fn name_levels() {
    let g = |a, b| pair(person(a, "smith", ""), person(b, "smith", ""))[0];
    assert_eq!(g("john", "John"), GIVEN_EXACT);
    assert_eq!(g("bill", "william"), GIVEN_NICKNAME);
    assert_eq!(g("jonathon", "jonathan"), 4);
    assert_eq!(g("j", "john"), 6);
    assert_eq!(g("mary", "peter"), GIVEN_DIFFERENT);
    let swapped = pair(person("smith", "john", ""), person("john", "smith", ""));
    assert_eq!((swapped[0], swapped[1]), (GIVEN_SWAPPED, 0));
    let s = |a, b| pair(person("x", a, ""), person("x", b, ""))[1];
    assert_eq!(s("smith-jones", "jones"), 2);
    assert_eq!(s("smith", "smyth"), 3);
    assert_eq!(s("smith", "patel"), 5);
}

#[test]
fn dob_levels() {
    let d = |a, b| pair(person("", "", a), person("", "", b))[2];
    assert_eq!(d("1980-01-02", "1980-01-02"), 1);
    assert_eq!(d("1980-01-02", "1980-02-01"), 2);
    assert_eq!(d("1980-01-02", "1981-01-02"), 3);
    assert_eq!(d("1980-01-02", "1980-01-12"), 4);
    assert_eq!(d("1980", "1980-01-12"), 5);
    assert_eq!(d("1981", "1980-01-12"), 6);
    assert_eq!(d("1980-01-02", "1975-06-12"), DOB_DIFFERENT);
    assert_eq!(d("", "1975-06-12"), 0);
}

#[test]
fn location_and_contact_levels() {
    let at = |pc: &'static str, addr: &'static str, phone: &'static str, email: &'static str| RawRecord {
        postcode: pc,
        address: addr,
        phone,
        email,
        ..RawRecord::default()
    };
    let g = pair(
        at("LS1 4AB", "12 High St", "07700900123", "a@b.com"),
        at("ls14ab", "12 high street", "+447700900123", "a@b.com"),
    );
    assert_eq!(&g[3..7], &[1, 1, 1, 1]);
    let g = pair(
        at("LS1 4AB", "12 High St", "07700900123", "a@b.com"),
        at("LS1 4XY", "12 Hihg Street", "07700900132", "a@c.com"),
    );
    assert_eq!(&g[3..7], &[2, 2, 2, 2]);
    let g = pair(at("LS1 4AB", "", "", ""), at("LS2 4XY", "", "", ""));
    assert_eq!(g[3], 4);
}

#[test]
fn pack_round_trips() {
    let g: Gamma = [7, 5, 7, 5, 3, 3, 3, 4];
    assert_eq!(unpack(pack(&g)), g);
}

#[test]
fn level_counts_fit_three_bits() {
    for f in FIELDS {
        assert!(f.levels().len() <= 8, "{f:?}");
    }
}

proptest! {
    #[test]
    fn compare_is_symmetric_and_in_range(a in "[a-z]{0,8}", b in "[a-z]{0,8}", c in "[a-z]{0,8}", d in "[a-z]{0,8}") {
        let x = person(&a, &b, "");
        let y = person(&c, &d, "");
        let g1 = pair(x, y);
        let g2 = pair(y, x);
        prop_assert_eq!(g1, g2);
        for (f, l) in FIELDS.iter().zip(g1) {
            prop_assert!((l as usize) < f.levels().len());
        }
    }
}

proptest! {
    #[test]
    fn quick_contradiction_check_agrees_with_full_compare(
        a in "[a-e]{0,5}", b in "[a-e]{0,5}", c in "[a-e]{0,5}", d in "[a-e]{0,5}",
        y1 in 1970u32..1973, y2 in 1970u32..1973, m1 in 1u32..3, m2 in 1u32..3, partial in any::<bool>(),
    ) {
        let mut v = Vocabs::default();
        let n = Normaliser::new(2026);
        let d1 = format!("{y1}-{m1:02}-0{m2}");
        let d2 = if partial { format!("{y2}") } else { format!("{y2}-{m2:02}-0{m1}") };
        let (x, _) = n.normalise(&person(&a, &b, &d1), &mut v);
        let (y, _) = n.normalise(&person(&c, &d, &d2), &mut v);
        prop_assert_eq!(records_contradict(&x, &y, &v), contradicts(&compare(&x, &y, &v)));
    }
}
