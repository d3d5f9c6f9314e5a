//! Name tables with realistic frequency: the commonest British surnames and given names by rank,
//! then a long tail of plausible generated names, all drawn from a Zipf-like distribution so that
//! "Smith" is about 1% of people while ten million records still have a realistic share of rare
//! names (an all-common population would make linkage unrealistically hard; an all-rare one, easy).

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// Commonest surnames in England and Wales, by rank.
const SURNAMES: &[&str] = &[
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Robinson",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Green",
    "Hall",
    "Lewis",
    "Harris",
    "Clarke",
    "Patel",
    "Jackson",
    "Wood",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Bell",
    "Shaw",
    "Murphy",
    "Miller",
    "Cox",
    "Richards",
    "Khan",
    "Marshall",
    "Anderson",
    "Simpson",
    "Ellis",
    "Adams",
    "Singh",
    "Begum",
    "Wilkinson",
    "Foster",
    "Chapman",
    "Powell",
    "Webb",
    "Rogers",
    "Gray",
    "Mason",
    "Ali",
    "Hunt",
    "Hussain",
    "Campbell",
    "Matthews",
    "Owen",
    "Palmer",
    "Holmes",
    "Mills",
    "Barnes",
    "Knight",
    "Lloyd",
    "Butler",
    "Russell",
    "Barker",
    "Fisher",
    "Stevens",
    "Jenkins",
    "Murray",
    "Dixon",
    "Harvey",
    "O'Brien",
    "O'Connor",
    "McDonald",
    "MacLeod",
    "Nowak",
    "Kowalski",
    "Okafor",
    "Mensah",
    "Nguyen",
    "Chen",
    "Ahmed",
    "Rahman",
    "Da Silva",
    "Novak",
    "Müller",
    "Núñez",
];

/// Common given names for women, by rank (mixed generations).
const FEMALE: &[&str] = &[
    "Sarah",
    "Emma",
    "Laura",
    "Rebecca",
    "Jessica",
    "Charlotte",
    "Hannah",
    "Amy",
    "Sophie",
    "Lauren",
    "Emily",
    "Olivia",
    "Amelia",
    "Margaret",
    "Susan",
    "Elizabeth",
    "Mary",
    "Patricia",
    "Jennifer",
    "Linda",
    "Karen",
    "Helen",
    "Claire",
    "Nicola",
    "Michelle",
    "Lisa",
    "Julie",
    "Joanne",
    "Catherine",
    "Katherine",
    "Victoria",
    "Rachel",
    "Samantha",
    "Gemma",
    "Lucy",
    "Chloe",
    "Megan",
    "Grace",
    "Ella",
    "Isla",
    "Ava",
    "Mia",
    "Isabella",
    "Poppy",
    "Freya",
    "Lily",
    "Evie",
    "Jacqueline",
    "Deborah",
    "Gillian",
    "Christine",
    "Alison",
    "Angela",
    "Dorothy",
    "Barbara",
    "Jean",
    "Joan",
    "Pamela",
    "Carol",
    "Sandra",
    "Natalie",
    "Abigail",
    "Jade",
    "Danielle",
    "Zoë",
    "Aisha",
    "Fatima",
    "Priya",
    "Siobhan",
    "Niamh",
    "Eleanor",
    "Harriet",
    "Florence",
    "Matilda",
    "Penelope",
    "Josephine",
    "Frances",
    "Theresa",
    "Valerie",
];

/// Common given names for men, by rank (mixed generations).
const MALE: &[&str] = &[
    "David",
    "John",
    "Michael",
    "Paul",
    "Andrew",
    "James",
    "Mark",
    "Richard",
    "Robert",
    "Stephen",
    "Peter",
    "Christopher",
    "Daniel",
    "Thomas",
    "Matthew",
    "William",
    "Anthony",
    "Steven",
    "Jonathan",
    "Ian",
    "Gary",
    "Simon",
    "Kevin",
    "Martin",
    "Neil",
    "Stuart",
    "Craig",
    "Lee",
    "Jason",
    "Darren",
    "Adam",
    "Benjamin",
    "Samuel",
    "Joseph",
    "Oliver",
    "Jack",
    "Harry",
    "George",
    "Noah",
    "Charlie",
    "Jacob",
    "Alfie",
    "Freddie",
    "Oscar",
    "Leo",
    "Arthur",
    "Muhammad",
    "Alexander",
    "Edward",
    "Charles",
    "Henry",
    "Kenneth",
    "Brian",
    "Ronald",
    "Raymond",
    "Keith",
    "Graham",
    "Colin",
    "Derek",
    "Terence",
    "Nicholas",
    "Patrick",
    "Philip",
    "Timothy",
    "Gregory",
    "Lawrence",
    "Frederick",
    "Albert",
    "Nathan",
    "Luke",
    "Ryan",
    "Liam",
    "Connor",
    "Callum",
    "Kieran",
    "Mohammed",
    "Ahmed",
    "Sean",
    "Declan",
    "José",
];

const SUR_PREFIX: &[&str] = &[
    "Ash", "Black", "Brad", "Brom", "Cal", "Carl", "Chad", "Cran", "Dal", "Dun", "East", "El", "Fair",
    "Fern", "Gold", "Grim", "Hal", "Har", "Hart", "Hay", "Holl", "Kings", "Lang", "Lind", "Mar", "Mid",
    "Mor", "New", "North", "Oak", "Pem", "Pen", "Red", "Rock", "Ros", "Rud", "Sel", "Shel", "South", "Stan",
    "Stam", "Stock", "Sut", "Thorn", "Tre", "Wad", "Wake", "Wal", "West", "Whit", "Wil", "Win", "Wors",
    "Bram", "Crom", "Dray", "Gil", "Hether", "Mal", "Pil",
];
const SUR_MIDDLE: &[&str] = &["", "", "", "", "ing", "er", "ber", "en", "ley", "ton", "wood"];
const SUR_SUFFIX: &[&str] = &[
    "ton", "ley", "field", "wood", "worth", "ford", "ham", "by", "combe", "den", "hurst", "well", "more",
    "bridge", "croft", "dale", "gate", "holme", "land", "man", "son", "thwaite", "wick", "stone", "bury",
    "cott", "low", "shaw", "sley", "ridge", "brook", "ing", "er", "all", "ett", "kin", "ock", "ow", "ie",
    "ard", "ington", "ingham", "away", "ville", "court", "ney", "ey", "mer", "wright", "smith",
];
const CONSONANTS: &[&str] =
    &["b", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sh", "ch", "th", "br"];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ee", "ia"];

fn title(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn syllables(mut h: u64, n: usize) -> String {
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(CONSONANTS[(h % CONSONANTS.len() as u64) as usize]);
        h /= CONSONANTS.len() as u64;
        s.push_str(VOWELS[(h % VOWELS.len() as u64) as usize]);
        h /= VOWELS.len() as u64;
    }
    s
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A list of names with a Zipf-like cumulative distribution for sampling.
#[derive(Debug, Clone)]
pub struct NameTable {
    names: Vec<String>,
    cumulative: Vec<f64>,
}

impl NameTable {
    fn new(names: Vec<String>, offset: f64) -> Self {
        let mut acc = 0.0;
        let cumulative = (0..names.len())
            .map(|r| {
                acc += 1.0 / (r as f64 + offset);
                acc
            })
            .collect();
        Self { names, cumulative }
    }

    /// Surnames: the common list, then ~150,000 generated British-sounding and other names.
    pub fn surnames() -> Self {
        let mut names: Vec<String> = SURNAMES.iter().map(|s| s.to_string()).collect();
        for (i, p) in SUR_PREFIX.iter().enumerate() {
            for (j, m) in SUR_MIDDLE.iter().enumerate() {
                for (k, s) in SUR_SUFFIX.iter().enumerate() {
                    if splitmix((i * 10_000 + j * 100 + k) as u64).is_multiple_of(3) || m.is_empty() {
                        names.push(format!("{p}{m}{s}"));
                    }
                }
            }
        }
        for i in 0..120_000u64 {
            let h = splitmix(i ^ 0x5eed);
            names.push(title(&format!(
                "{}{}",
                syllables(h, 2 + (h % 2) as usize),
                ["", "n", "r", "s", "k"][(h >> 40) as usize % 5]
            )));
        }
        Self::new(names, 10.0)
    }

    /// Given names for one sex: the common list, then ~20,000 generated names.
    pub fn given(female: bool) -> Self {
        let base = if female { FEMALE } else { MALE };
        let mut names: Vec<String> = base.iter().map(|s| s.to_string()).collect();
        for i in 0..20_000u64 {
            let h = splitmix(i ^ if female { 0xf00d } else { 0xbeef });
            let end = if female { ["a", "ie", "elle", "ina", "y"] } else { ["o", "an", "el", "us", "en"] };
            names.push(title(&format!(
                "{}{}",
                syllables(h, 1 + (h % 2) as usize),
                end[(h >> 40) as usize % 5]
            )));
        }
        Self::new(names, 4.0)
    }

    /// Draws a name.
    pub fn sample(&self, rng: &mut ChaCha8Rng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let x = rng.random_range(0.0..total);
        let i = self.cumulative.partition_point(|&c| c < x).min(self.names.len().saturating_sub(1));
        self.names.get(i).map_or("Smith", String::as_str)
    }

    /// Number of distinct names.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when the table is empty (never, for the built-in tables).
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Nicknames callers use for formal names (deliberately not identical to the linkage engine's
/// table: real callers use forms no table lists).
pub fn nickname(formal: &str) -> Option<&'static [&'static str]> {
    Some(match formal {
        "William" => &["Bill", "Will", "Billy", "Liam"],
        "Margaret" => &["Peggy", "Maggie", "Meg"],
        "James" => &["Jim", "Jimmy", "Jamie"],
        "Robert" => &["Bob", "Rob", "Robbie", "Bert"],
        "Elizabeth" => &["Liz", "Beth", "Betty", "Lizzie"],
        "Richard" => &["Rich", "Rick", "Dick"],
        "Thomas" => &["Tom", "Tommy"],
        "Michael" => &["Mike", "Mick", "Micky"],
        "Christopher" => &["Chris", "Kit"],
        "Matthew" => &["Matt"],
        "Anthony" => &["Tony", "Ant"],
        "Andrew" => &["Andy", "Drew"],
        "Daniel" => &["Dan", "Danny"],
        "David" => &["Dave", "Davey"],
        "Edward" => &["Ed", "Eddie", "Ted"],
        "Jonathan" => &["Jon", "Jonny"],
        "John" => &["Jack", "Johnny"],
        "Joseph" => &["Joe", "Joey"],
        "Peter" => &["Pete"],
        "Samuel" => &["Sam", "Sammy"],
        "Samantha" => &["Sam", "Sammie"],
        "Stephen" | "Steven" => &["Steve"],
        "Timothy" => &["Tim"],
        "Benjamin" => &["Ben", "Benji"],
        "Charles" => &["Charlie", "Chas"],
        "Charlotte" => &["Lottie", "Charlie"],
        "Catherine" | "Katherine" => &["Kate", "Katie", "Cathy"],
        "Deborah" => &["Debbie", "Deb"],
        "Rebecca" => &["Becky", "Becca"],
        "Jennifer" => &["Jen", "Jenny"],
        "Susan" => &["Sue", "Susie"],
        "Victoria" => &["Vicky", "Tori"],
        "Jessica" => &["Jess"],
        "Abigail" => &["Abi", "Abby"],
        "Patricia" => &["Pat", "Trish"],
        "Patrick" => &["Pat", "Paddy"],
        "Alexander" => &["Alex", "Sandy", "Xander"],
        "Nicholas" => &["Nick", "Nicky"],
        "Kenneth" => &["Ken", "Kenny"],
        "Ronald" => &["Ron", "Ronnie"],
        "Terence" => &["Terry", "Tel"],
        "Frederick" => &["Fred", "Freddie"],
        "Gillian" => &["Gill", "Jill"],
        "Jacqueline" => &["Jackie"],
        "Dorothy" => &["Dot", "Dolly"],
        "Pamela" => &["Pam"],
        "Josephine" => &["Jo", "Josie"],
        "Eleanor" => &["Ellie", "Nell"],
        "Penelope" => &["Penny"],
        "Derek" => &["Del"],
        "Lawrence" => &["Larry", "Laurie"],
        "Gregory" => &["Greg"],
        "Philip" => &["Phil"],
        "Nathan" => &["Nate"],
        "Raymond" => &["Ray"],
        "Matilda" => &["Tilly"],
        "Harriet" => &["Hattie"],
        "Florence" => &["Flo"],
        "Frances" => &["Fran"],
        "Theresa" => &["Tess", "Terri"],
        "Valerie" => &["Val"],
        "Natalie" => &["Nat"],
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn smith_is_common_but_not_everyone() {
        let t = NameTable::surnames();
        assert!(t.len() > 100_000);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let n = 100_000;
        let smiths = (0..n).filter(|_| t.sample(&mut rng) == "Smith").count();
        assert!((300..3_000).contains(&smiths), "{smiths}");
        let mut distinct: Vec<&str> = (0..n).map(|_| t.sample(&mut rng)).collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert!(distinct.len() > 20_000, "{}", distinct.len());
    }
}
