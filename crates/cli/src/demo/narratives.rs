//! What callers say, in the words a handler would log. Replaced by the triage corpus when that
//! lands; kept short and varied so the demo reads like a real queue.

/// Emergency calls (999, text relay, video).
pub const EMERGENCY: &[&str] = &[
    "Caller states her partner has pushed her down the stairs, he is still in the house shouting. Children upstairs.",
    "Two males fighting outside the chip shop, one has a knife, people running.",
    "RTC on the A6, car on its roof, driver trapped, ambulance requested.",
    "Caller's elderly father not answering the door, curtains closed for two days, milk on the step.",
    "Silent call, open line, sounds of a man shouting and a woman crying in the background.",
    "Male on the bridge over the M60 saying he is going to jump. Caller is driving past.",
    "House alarm and glass breaking next door, caller can see torchlight inside, owners away.",
    "Young girl, 14, not come home from school, phone off, mum says this has never happened before.",
    "Caller says ex-partner is outside the house again despite the order, banging on windows.",
    "Group of youths throwing bricks at passing buses on Oldham Road.",
    "Man collapsed in the street, not breathing, caller doing CPR, ambulance on the line.",
    "Caller reports a man exposing himself to children near the park gates.",
    "Shop worker says a customer has threatened her with a syringe and taken cash from the till.",
    "Caller's son is smashing up the house, he has mental health issues and has not taken his medication.",
    "Smell of gas and a man inside saying he will light it. Neighbours concerned.",
];

/// Non-emergency calls (101).
pub const NON_EMERGENCY: &[&str] = &[
    "Caller's car broken into overnight, window smashed, sat nav taken. Wants a crime number for insurance.",
    "Neighbour playing loud music every night until 3am, caller has two young children.",
    "Bike stolen from outside the library this afternoon, has the frame number.",
    "Caller wants an update on a burglary reported last week, no one has been in touch.",
    "Suspicious van driving slowly around the estate, caller got part of the registration.",
    "Caller has received texts from an unknown number threatening to share private photos.",
    "Lost wallet on the tram, wants to know if it has been handed in.",
    "Youths congregating in the stairwell of the flats every evening, drinking and leaving needles.",
    "Caller's mother was scammed out of 3,000 pounds by someone claiming to be from her bank.",
    "Abandoned car on the verge for three weeks, no tax, tyres flat.",
    "Caller reporting racist graffiti sprayed on her garage door overnight.",
    "Parcel stolen from the doorstep, caller has doorbell footage.",
    "Man in the park with a dog off the lead that bit the caller's dog.",
];

/// Digital contacts (online reports, webchat, social media, email).
pub const DIGITAL: &[&str] = &[
    "Online report: shoplifting at the Co-op on Church Lane, male took meat and alcohol, staff have CCTV.",
    "Webchat: user wants advice on getting a non-molestation order, says ex keeps turning up at work.",
    "Email: complaint about speeding cars on Station Road outside the primary school every morning.",
    "Social media DM: someone says a friend has posted that she has taken tablets and wants to die.",
    "Online report: criminal damage to a fence, neighbour dispute ongoing for months.",
    "Webchat: student reports being followed home twice this week by the same man.",
    "Email: housing officer sharing concerns about a vulnerable adult being financially exploited.",
    "Online report: road collision, no injuries, other driver failed to stop, registration given.",
    "Social media DM: asking why there were so many police cars on Kingsway last night.",
    "Webchat: caller's teenage son being threatened over Snapchat by older boys demanding money.",
    "Online report: lost property, passport lost somewhere in the city centre.",
    "Email: anonymous information about drug dealing from a flat on Hyde Road, cars coming and going.",
];
