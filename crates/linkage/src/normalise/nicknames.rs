//! The nickname table: informal given names mapped to one formal name, so "Bill" and "William"
//! compare as the same person. A nickname shared by several formal names maps to the first listed.

use std::collections::HashMap;
use std::sync::OnceLock;

/// `formal: nickname, nickname, ...` lines. Embedded data, not configuration: extend it here.
const TABLE: &str = "
william: bill, billy, will, willy, willie, liam, wil
margaret: peggy, maggie, meg, megan, madge, marge, margie, greta, rita, margo
james: jim, jimmy, jamie, jas, jimbo
robert: bob, bobby, rob, robbie, robby, bert, bertie
elizabeth: liz, lizzie, lizzy, beth, betty, bet, bess, bessie, eliza, libby, liza, elsie, lisa
richard: dick, dickie, rick, ricky, rich, richie
thomas: tom, tommy, thom
michael: mike, mick, micky, mickey, mikey
christopher: chris, kit, topher
christine: chris, chrissie, tina, kristine
christina: tina, chrissy
matthew: matt, matty
anthony: tony, ant
andrew: andy, drew
alexander: alex, al, sandy, alec, xander, alexandre
alexandra: alex, lexi, sasha, sandra
daniel: dan, danny
david: dave, davey, davy
edward: ed, eddie, eddy, ted, teddy, ned
jonathan: jon, jonny, johnny
john: jack, johnny, jock, jon
joseph: joe, joey, jo
josephine: jo, josie, jojo
joshua: josh
nicholas: nick, nicky, nico
patrick: pat, paddy, patsy
patricia: pat, patty, tricia, trish
peter: pete
samuel: sam, sammy
samantha: sam, sammie
stephen: steve, stevie, steph
steven: steve, stevie
timothy: tim, timmy
benjamin: ben, benny, benji
charles: charlie, chas, chuck, chaz
charlotte: lottie, charlie, lotte
frederick: fred, freddie, freddy
henry: harry, hal, hank
harold: harry, hal
catherine: cath, cathy, kate, katie, kat, kay, kitty, cat
katherine: kath, kathy, kate, katie, kat, kay, kitty
kathleen: kath, kathy, kath
deborah: deb, debbie, debs
rebecca: becky, becca, bex
jennifer: jen, jenny, jenni
susan: sue, susie, suzy
suzanne: sue, suzy
victoria: vicky, vikki, tori
jessica: jess, jessie
abigail: abi, abby, gail
gillian: gill, jill, gilly
jacqueline: jackie, jacqui
dorothy: dot, dotty, dolly, dora
mary: molly, polly, mae, mamie
sarah: sally, sadie, sal
helen: nell, nellie, ellie
eleanor: ellie, nora, nell, elle
ellen: ellie, nell
pamela: pam, pammy
penelope: penny
philip: phil, pip
phillip: phil, pip
raymond: ray
ronald: ron, ronnie
donald: don, donnie
kenneth: ken, kenny
leonard: len, lenny, leo
lawrence: larry, laurie, lol
gerald: gerry, jerry
terence: terry, tel
gregory: greg
geoffrey: geoff, jeff
jeffrey: jeff
nathan: nate, nat
nathaniel: nat, nate, nathan
oliver: ollie, olly
zachary: zach, zac, zak
vincent: vince, vinny
francis: frank, frankie, fran
frances: fran, frankie, fanny
gabriel: gabe
gabrielle: gabby, gabi
natalie: nat, tali
natasha: tash, tasha, nat
isabel: izzy, bella, isa, issy
isabella: izzy, bella, issy
theodore: theo, ted, teddy
albert: bert, bertie, al, alby
alfred: alf, alfie, fred
arthur: art, artie
barbara: barb, babs, barbie
bernard: bernie, barney
cameron: cam
caroline: caz, carrie, carol
christian: chris, christy
cynthia: cindy
daniela: dani
danielle: dani, ellie
dominic: dom
douglas: doug, dougie
emily: em, emmy, milly
emma: em, emmy
eugene: gene
evelyn: eve, evie
florence: flo, florrie, flossie
georgina: georgie, gina
harriet: hattie, hatty
jacob: jake, jakey
judith: judy, jude
louise: lou, lulu
lucinda: lucy, cindy
madeleine: maddie, maddy
matilda: tilly, tilda, mattie
maximilian: max
maxwell: max
melissa: mel, missy
melanie: mel
michelle: shelley, chelle
nicola: nicky, nikki
norman: norm
reginald: reg, reggie
rosemary: rosie, rose
ruth: ruthie
sebastian: seb, bastian
sophia: sophie, soph
stanley: stan
stuart: stu
teresa: tess, tessa, terri
theresa: tess, tessa, terri
valerie: val
walter: walt, wally
wilfred: wilf, fred
winifred: winnie, freda
";

fn table() -> &'static HashMap<&'static str, &'static str> {
    static MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = HashMap::new();
        for line in TABLE.lines() {
            let Some((formal, nicks)) = line.split_once(':') else { continue };
            let formal = formal.trim();
            for nick in nicks.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                map.entry(nick).or_insert(formal);
            }
        }
        map
    })
}

/// The formal name a normalised given name stands for; the name itself when it is not a nickname.
pub fn canonical(given: &str) -> &str {
    table().get(given).copied().unwrap_or(given)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_nicknames() {
        assert_eq!(canonical("bill"), "william");
        assert_eq!(canonical("peggy"), "margaret");
        assert_eq!(canonical("jim"), "james");
        assert_eq!(canonical("william"), "william");
        assert_eq!(canonical("zebedee"), "zebedee");
    }
}
