//! The words and numbers of the synthetic dataset: a generator whose
//! stream never changes, words to make titles and bodies of, countries.

/// SplitMix64: a tiny generator whose output can never change under us
/// (a crate's RNG may change its stream between versions, and the dataset
/// must stay the same for the same N).
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(super) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

pub(super) const WORDS: &[&str] = &[
    "city-region",
    "governance",
    "metropolitan",
    "cooperation",
    "municipalities",
    "strategy",
    "planning",
    "mobility",
    "transport",
    "housing",
    "services",
    "investment",
    "authority",
    "partnership",
    "citizens",
    "participation",
    "territorial",
    "cohesion",
    "competitiveness",
    "sustainability",
    "climate",
    "energy",
    "water",
    "waste",
    "economy",
    "knowledge",
    "research",
    "universities",
    "innovation",
    "employment",
    "skills",
    "inclusion",
    "neighbourhoods",
    "funding",
    "budget",
    "region",
    "national",
    "european",
    "local",
    "policy",
    "network",
    "coordination",
    "boundaries",
    "commuting",
    "land",
    "use",
    "density",
    "green",
    "infrastructure",
    "public",
    "private",
    "agreement",
    "board",
    "council",
    "mayor",
    "evaluation",
    "indicators",
    "data",
    "shared",
    "joint",
    "common",
    "vision",
    "long-term",
    "agency",
    "development",
    "culture",
];

/// One topic per record: each appears in about one record in a hundred,
/// which is what a realistic search finds.
pub(super) const TOPICS: &[&str] = &[
    "tramway",
    "brownfield",
    "floodplain",
    "incubator",
    "ferry",
    "harbour",
    "airport",
    "campus",
    "riverfront",
    "greenbelt",
    "ringroad",
    "cycleway",
    "district-heating",
    "wastewater",
    "landfill",
    "broadband",
    "creative-quarter",
    "science-park",
    "logistics",
    "tourism",
    "heritage",
    "festival",
    "marketplace",
    "retrofit",
    "social-housing",
    "metro",
    "bus-rapid-transit",
    "park-and-ride",
    "carpool",
    "car-sharing",
    "pedestrian",
    "noise",
    "air-quality",
    "biodiversity",
    "wetland",
    "forest",
    "farmland",
    "food",
    "schools",
    "hospitals",
    "elderly",
    "youth",
    "migrants",
    "roma",
    "unemployment",
    "apprenticeships",
    "start-ups",
    "clusters",
    "exports",
    "procurement",
    "taxation",
    "equalisation",
    "fiscal",
    "bonds",
    "pensions",
    "statistics",
    "census",
    "mapping",
    "zoning",
    "masterplan",
    "densification",
    "sprawl",
    "suburbs",
    "villages",
    "periphery",
    "crossborder",
    "eurodistrict",
    "twinning",
    "referendum",
    "ombudsman",
    "transparency",
    "open-data",
    "e-government",
    "smart-city",
    "sensors",
    "resilience",
    "drought",
    "heatwave",
    "flooding",
    "coastline",
    "port",
    "rail",
    "freight",
    "canal",
    "bridge",
    "tunnel",
    "parking",
    "tolls",
    "congestion",
    "ticketing",
    "timetable",
    "night-bus",
    "stadium",
    "museum",
    "library",
    "theatre",
    "sports",
    "playgrounds",
    "allotments",
];

pub(super) const COUNTRIES: &[&str] = &[
    "FR", "ES", "IT", "BG", "PL", "CZ", "NL", "BE", "DE", "AT", "PT", "SE", "FI", "DK", "IE", "HU",
    "RO", "GR", "SI", "HR",
];

/// Words up to a length between `min` and `max` characters, with `topic`
/// somewhere in them.
pub(super) fn text(rng: &mut Rng, min: usize, max: usize, topic: &str) -> String {
    let target = min + rng.below(max - min);
    let mut out = String::with_capacity(target + 16);
    let (mut sentence_start, mut has_topic) = (true, false);
    while out.len() < target {
        let word = if out.len() > target / 2 && !has_topic {
            has_topic = true;
            topic
        } else {
            rng.pick(WORDS)
        };
        if sentence_start {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push_str(word);
        }
        sentence_start = rng.below(12) == 0;
        out.push_str(if sentence_start { ". " } else { " " });
    }
    if !has_topic {
        out.push_str(topic);
    }
    out.trim_end().trim_end_matches('.').to_string() + "."
}

/// `k` distinct numbers from `1..=n`, sorted.
pub(super) fn some_of(rng: &mut Rng, n: usize, k: usize) -> Vec<i32> {
    let mut picked: Vec<i32> = Vec::with_capacity(k);
    while picked.len() < k.min(n) {
        let id = 1 + rng.below(n) as i32;
        if !picked.contains(&id) {
            picked.push(id);
        }
    }
    picked.sort_unstable();
    picked
}
