//! A generator of synthetic news sites for tests and the corpus benchmark.
//! Every text here was written for this repository. Articles are built from
//! sentence templates with slots, so that the story lines of different
//! articles differ (as real stories do) while each site repeats its own
//! template lines (masthead, tip line, promo) around them.

#![allow(dead_code)]

/// A small deterministic generator (xorshift64*), so that corpora are the
/// same on every run without a dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

/// Story material in one language.
pub struct Lang {
    pub code: &'static str,
    pub who: &'static [&'static str],
    pub place: &'static [&'static str],
    pub thing: &'static [&'static str],
    /// Sentence templates with `{who}`, `{place}` and `{thing}` slots.
    pub sentences: &'static [&'static str],
    pub headlines: &'static [&'static str],
}

pub const EN: Lang = Lang {
    code: "en",
    who: &[
        "Mara Lindqvist",
        "Tom Okafor",
        "Priya Raman",
        "Owen Hale",
        "Ines Varga",
        "Colm Brady",
        "Hana Sato",
        "Lewis Achebe",
        "Greta Moss",
        "Rafael Ortiz",
    ],
    place: &[
        "Millbrook",
        "the harbour district",
        "Eastfield",
        "the old mill quarter",
        "Kestrel Bay",
        "Northgate",
        "the river crossing",
        "Ashby Common",
    ],
    thing: &[
        "the new footbridge",
        "the school budget",
        "the bus timetable",
        "the flood barrier",
        "the library extension",
        "the market hall lease",
        "the wind farm plan",
        "the ferry contract",
    ],
    sentences: &[
        "{who} told the council that {thing} in {place} had been delayed for a second winter.",
        "Residents of {place} packed the hall on Thursday evening to ask about {thing}.",
        "According to {who}, the cost of {thing} has risen by almost a third since the spring.",
        "The decision on {thing} was expected in March, but officials in {place} now say it may slip to the autumn.",
        "\"We were promised answers and we are still waiting,\" said {who}, who has lived in {place} for twenty years.",
        "A spokesperson for the county said that the review of {thing} would be published before the end of the month.",
        "Shop owners in {place} say that the works around {thing} have kept customers away since January.",
        "{who} said the plan for {thing} would be put to a public vote if the council could not agree.",
        "Engineers who inspected {thing} last week found that the work in {place} was further along than feared.",
        "The opposition has called for an independent audit of {thing}, a demand that {who} rejected on Friday.",
    ],
    headlines: &[
        "Delays hit {thing} in {place}",
        "{who} defends {thing}",
        "What now for {thing}?",
        "{place} waits for {thing}",
    ],
};

pub const DA: Lang = Lang {
    code: "da",
    who: &["Søren Kjær", "Mette Lund", "Anders Holm", "Freja Dahl", "Jonas Bech", "Ida Thorsen", "Karsten Vinther", "Line Mortensen"],
    place: &["Vesterby", "havnekvarteret", "Nørremark", "den gamle bydel", "Skovlunde Strand", "Østerled"],
    thing: &["den nye cykelbro", "skolernes budget", "busplanen", "digeprojektet", "biblioteket", "torvehallen", "vindmølleplanen"],
    sentences: &[
        "{who} fortalte byrådet, at {thing} i {place} er blevet forsinket endnu en vinter.",
        "Borgere fra {place} fyldte salen torsdag aften for at spørge til {thing}.",
        "Ifølge {who} er prisen på {thing} steget med næsten en tredjedel siden foråret.",
        "Beslutningen om {thing} skulle være faldet i marts, men nu siger kommunen, at den kan blive udskudt til efteråret.",
        "- Vi fik lovet svar, og vi venter stadig, siger {who}, der har boet i {place} i tyve år.",
        "Handlende i {place} siger, at arbejdet omkring {thing} har holdt kunderne væk siden januar.",
        "Oppositionen kræver en uafhængig undersøgelse af {thing}, men det afviste {who} fredag.",
        "Ingeniører, der har set på {thing} i sidste uge, mener, at arbejdet i {place} er længere fremme end frygtet.",
    ],
    headlines: &["Forsinkelser rammer {thing} i {place}", "{who} forsvarer {thing}", "Hvad nu med {thing}?"],
};

pub const NL: Lang = Lang {
    code: "nl",
    who: &["Joost de Wit", "Anouk Peeters", "Bram Visser", "Sanne Mulder", "Pieter Smit", "Lotte Bakker", "Ruud Jansen", "Eva van Dijk"],
    place: &["Oosterveld", "de havenwijk", "Zuidkamp", "de oude binnenstad", "Westermeer", "het stationsgebied"],
    thing: &["de nieuwe fietsbrug", "de schoolbegroting", "de dienstregeling", "de dijkversterking", "de bibliotheek", "de markthal", "het windpark"],
    sentences: &[
        "{who} vertelde de gemeenteraad dat {thing} in {place} opnieuw een winter is vertraagd.",
        "Bewoners van {place} kwamen donderdagavond in groten getale naar de zaal om vragen te stellen over {thing}.",
        "Volgens {who} zijn de kosten van {thing} sinds het voorjaar met bijna een derde gestegen.",
        "Het besluit over {thing} werd in maart verwacht, maar de gemeente zegt nu dat het najaar wordt.",
        "'We hebben antwoorden beloofd gekregen en we wachten nog steeds', zegt {who}, die al twintig jaar in {place} woont.",
        "Winkeliers in {place} zeggen dat de werkzaamheden rond {thing} sinds januari klanten wegjagen.",
        "De oppositie wil een onafhankelijk onderzoek naar {thing}, maar {who} wees dat vrijdag af.",
    ],
    headlines: &["Vertraging voor {thing} in {place}", "{who} verdedigt {thing}", "Hoe verder met {thing}?"],
};

pub const DE: Lang = Lang {
    code: "de",
    who: &["Jana Krüger", "Lukas Brandt", "Miriam Vogel", "Felix Hartmann", "Sabine Roth", "Tobias Keller", "Nina Albrecht"],
    place: &["Oberfeld", "dem Hafenviertel", "Südheim", "der Altstadt", "Birkenau am See", "dem Bahnhofsviertel"],
    thing: &["die neue Radbrücke", "der Schulhaushalt", "der Busfahrplan", "der Deichbau", "die Stadtbibliothek", "die Markthalle", "der Windpark"],
    sentences: &[
        "{who} sagte im Stadtrat, dass sich {thing} in {place} um einen weiteren Winter verzögert.",
        "Anwohner aus {place} füllten am Donnerstagabend den Saal, um nach dem Stand der Dinge zu fragen.",
        "Nach Angaben von {who} sind die Kosten seit dem Frühjahr um fast ein Drittel gestiegen.",
        "Die Entscheidung war für März erwartet worden, doch die Verwaltung in {place} spricht nun vom Herbst.",
        "„Man hat uns Antworten versprochen, und wir warten immer noch“, sagt {who}, die seit zwanzig Jahren in {place} lebt.",
        "Händler in {place} berichten, dass die Bauarbeiten seit Januar die Kundschaft fernhalten.",
        "Die Opposition fordert eine unabhängige Prüfung, was {who} am Freitag zurückwies.",
    ],
    headlines: &["Verzögerungen in {place}", "{who} verteidigt die Pläne", "Wie geht es weiter in {place}?"],
};

pub const FR: Lang = Lang {
    code: "fr",
    who: &["Claire Dubois", "Julien Moreau", "Amélie Laurent", "Hugo Lefèvre", "Camille Girard", "Théo Rousseau", "Léa Fontaine"],
    place: &["Beauval", "le quartier du port", "Montclair", "la vieille ville", "Saint-Aubin-sur-Mer", "le quartier de la gare"],
    thing: &["la nouvelle passerelle", "le budget des écoles", "les horaires des bus", "la digue", "la médiathèque", "la halle du marché", "le parc éolien"],
    sentences: &[
        "{who} a déclaré au conseil municipal que {thing} de {place} prendrait encore un hiver de retard.",
        "Les habitants de {place} ont rempli la salle jeudi soir pour poser des questions sur {thing}.",
        "Selon {who}, le coût de {thing} a augmenté de près d'un tiers depuis le printemps.",
        "La décision sur {thing} était attendue en mars, mais la mairie de {place} parle désormais de l'automne.",
        "« On nous a promis des réponses et nous attendons toujours », affirme {who}, qui vit à {place} depuis vingt ans.",
        "Les commerçants de {place} affirment que les travaux autour de {thing} font fuir les clients depuis janvier.",
        "L'opposition réclame un audit indépendant de {thing}, ce que {who} a refusé vendredi.",
    ],
    headlines: &["Retards pour {thing} à {place}", "{who} défend {thing}", "Et maintenant, {thing} ?"],
};

pub const LANGS: [&Lang; 5] = [&EN, &DA, &NL, &DE, &FR];

/// A site: its language and the lines its template wraps around every story.
pub struct Site {
    pub host: String,
    pub lang: &'static Lang,
    /// Lines above the story (masthead, section, listen button).
    pub head: Vec<String>,
    /// Lines below the story (tip line, membership, promo).
    pub foot: Vec<String>,
    /// A prose sign-off that belongs to the story text, or none.
    pub signoff: Option<String>,
}

/// The `n`-th synthetic site.
pub fn site(n: usize) -> Site {
    let lang = LANGS[n % LANGS.len()];
    let name = ["Courier", "Gazette", "Post", "Tidende", "Bode", "Echo", "Herald", "Kurier"][n % 8];
    let town = ["Valley", "Harbour", "Ridge", "Fjord", "Polder", "Heath", "Lake"][n % 7];
    let host = format!("{}-{}{}.example", town.to_lowercase(), name.to_lowercase(), n);
    Site {
        host: host.clone(),
        lang,
        head: vec![format!("{town} {name} · Independent local news since 19{:02}", 10 + n % 80), "Listen · 4 min".to_owned()],
        foot: vec![
            format!("Tip the newsroom: tips@{host}"),
            format!("{town} {name} is a member of the Regional Press Guild"),
        ],
        signoff: (n % 2 == 0).then(|| {
            format!("This reporting is part of our series on local government, supported by readers of the {town} {name} who fund our newsroom.")
        }),
    }
}

fn fill(t: &str, who: &str, place: &str, thing: &str) -> String {
    t.replace("{who}", who).replace("{place}", place).replace("{thing}", thing)
}

/// One article of `site`: (template head, headline, story paragraphs,
/// template foot), as a text with blank lines between blocks.
pub struct Article {
    pub text: String,
    /// The story paragraphs (headline first), in order.
    pub story: Vec<String>,
}

/// The `i`-th article of a site.
pub fn article(site: &Site, i: usize, rng: &mut Rng) -> Article {
    let l = site.lang;
    let who = l.who[i % l.who.len()];
    let place = l.place[(i / l.who.len() + i) % l.place.len()];
    let thing = l.thing[(i * 3 + i / 7) % l.thing.len()];
    let mut story = vec![fill(rng.pick(l.headlines), who, place, thing)];
    let n = 4 + rng.below(5);
    let mut start = rng.below(l.sentences.len());
    for p in 0..n {
        let a = fill(l.sentences[start % l.sentences.len()], who, place, thing);
        start += 1 + p % 2;
        story.push(a);
    }
    if let Some(s) = &site.signoff {
        story.push(s.clone());
    }
    let mut blocks: Vec<String> = site.head.clone();
    blocks.extend(story.iter().cloned());
    blocks.extend(site.foot.iter().cloned());
    Article { text: blocks.join("\n\n") + "\n", story }
}

/// Escape a string as JSON.
pub fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON Lines corpus of `n` records over `sites` sites.
pub fn jsonl(n: usize, sites: usize, seed: u64, mut write: impl FnMut(&str)) {
    let all: Vec<Site> = (0..sites).map(site).collect();
    let mut rng = Rng::new(seed);
    for i in 0..n {
        let s = &all[i % sites];
        let a = article(s, i / sites, &mut rng);
        let line = format!(
            "{{\"id\":{i},\"url\":{},\"lang\":\"{}\",\"text\":{}}}\n",
            json_str(&format!("https://www.{}/news/{i}", s.host)),
            s.lang.code,
            json_str(&a.text)
        );
        write(&line);
    }
}
