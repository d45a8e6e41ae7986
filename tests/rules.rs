//! Behaviour of each rule kind on small documents, in several languages:
//! what a rule drops, and the near-misses it must keep (story sentences that
//! mention ads, quote a relative time, open with "Read more", and so on).
//! Assertions are on the public result: `Cleaned.text`, `paragraphs`,
//! `removed[..].rule` / `kind` and `metadata`. The rules are tested alone
//! (no block model); the model has its own tests in `tests/model.rs`, and
//! the snapshots show both together.

use newsclean::{Cleaned, Cleaner, Error, RuleSetBuilder, Verdict};

fn clean(text: &str) -> Cleaned {
    Cleaner::new().without_model().clean_text(text)
}

/// Every block with its verdict, for failure messages.
fn explain(out: &Cleaned) -> String {
    out.blocks.iter().map(|(b, v)| format!("{:>3} {:<34} {}\n", b.index, v.label(), b.text)).collect()
}

#[track_caller]
fn assert_dropped(out: &Cleaned, text: &str, rule: &str) {
    let hit = out.removed.iter().find(|r| r.text == text).map(|r| r.rule.as_str());
    assert_eq!(hit, Some(rule), "`{text}` should be dropped by {rule}:\n{}", explain(out));
    assert!(!out.paragraphs.iter().any(|p| p == text), "`{text}` is also kept:\n{}", explain(out));
}

#[track_caller]
fn assert_kept(out: &Cleaned, text: &str) {
    assert!(out.paragraphs.iter().any(|p| p == text), "`{text}` should be kept:\n{}", explain(out));
}

/// Join paragraphs with blank lines.
fn doc(parts: &[&str]) -> String {
    parts.join("\n\n")
}

/// A story paragraph per language, long enough to carry its stopwords.
fn story(lang: &str) -> (&'static str, &'static str) {
    match lang {
        "en" => (
            "The council said on Monday that the new bridge would open in the spring, two months later than planned.",
            "Residents who live near the river have complained about the noise from the building site for a year.",
        ),
        "da" => (
            "Kommunen oplyser, at den nye bro først åbner til foråret, og det er to måneder senere end planlagt.",
            "Beboerne ved åen har i et år klaget over larmen fra byggepladsen, som de siger er værst om morgenen.",
        ),
        "nl" => (
            "De gemeente zegt dat de nieuwe brug pas in het voorjaar open gaat, twee maanden later dan gepland.",
            "Omwonenden klagen al een jaar over het lawaai van de bouwplaats, dat volgens hen het ergst is in de ochtend.",
        ),
        "de" => (
            "Die Stadt teilte am Montag mit, dass die neue Brücke erst im Frühjahr öffnen wird, zwei Monate später als geplant.",
            "Anwohner am Fluss klagen seit einem Jahr über den Lärm der Baustelle, der vor allem am Morgen stört.",
        ),
        "fr" => (
            "La mairie a indiqué lundi que le nouveau pont n'ouvrira qu'au printemps, avec deux mois de retard sur le calendrier.",
            "Les riverains se plaignent depuis un an du bruit du chantier, qui est selon eux le plus fort le matin.",
        ),
        "es" => (
            "El ayuntamiento dijo el lunes que el nuevo puente no abrirá hasta la primavera, dos meses más tarde de lo previsto.",
            "Los vecinos del río se quejan desde hace un año del ruido de las obras, que según ellos es peor por la mañana.",
        ),
        "sv" => (
            "Kommunen meddelade på måndagen att den nya bron öppnar först i vår, två månader senare än planerat.",
            "De som bor nära ån har i ett år klagat på bullret från bygget, som enligt dem är värst på morgonen.",
        ),
        "no" => (
            "Kommunen opplyser at den nye brua først åpner til våren, og det er to måneder senere enn planlagt.",
            "Naboene ved elva har i et år klaget over støyen fra byggeplassen, som de sier er verst om morgenen.",
        ),
        "it" => (
            "Il Comune ha detto lunedì che il nuovo ponte aprirà solo in primavera, due mesi dopo il previsto.",
            "Gli abitanti vicino al fiume si lamentano da un anno del rumore del cantiere, che secondo loro è peggiore al mattino.",
        ),
        "pt" => (
            "A câmara disse na segunda-feira que a nova ponte só vai abrir na primavera, dois meses mais tarde do que o previsto.",
            "Os moradores junto ao rio queixam-se há um ano do barulho das obras, que segundo eles é pior de manhã.",
        ),
        other => panic!("no story for {other}"),
    }
}

// ---------------------------------------------------------------- ad markers

#[test]
fn ad_markers_drop_slot_labels_and_keep_sentences_about_ads() {
    let cases = [
        ("en", "Advertisement", "The council spent less on advertisements this year than last, the report shows."),
        (
            "en",
            "Story continues below advertisement",
            "Advertising on buses will be banned from next year, the mayor said.",
        ),
        ("da", "Annonce", "Annoncen i avisen blev trukket tilbage efter kritik fra læserne."),
        ("da", "Artiklen fortsætter under annoncen", "Kommunen har brugt over en million kroner på annoncer i år."),
        ("nl", "Advertentie", "De advertentie verscheen in drie landelijke kranten, zegt de woordvoerder."),
        ("de", "Anzeige", "Werbung ist an Schulen verboten, sagt die Ministerin."),
        ("fr", "Publicité", "La publicité pour le tabac est interdite depuis longtemps en France."),
        ("es", "Publicidad", "La publicidad institucional creció un diez por ciento el año pasado."),
        ("sv", "Annons", "Annonsen publicerades i tre lokaltidningar förra veckan."),
        ("no", "Annonse", "Annonsen ble trykket i tre lokalaviser forrige uke."),
        ("it", "Pubblicità", "La pubblicità sui giornali locali non è bastata, dice il sindaco."),
        ("pt", "Publicidade", "A publicidade nas redes sociais custou menos do que nos jornais."),
    ];
    for (lang, marker, prose) in cases {
        let (a, b) = story(lang);
        let out = clean(&doc(&[a, marker, prose, b]));
        assert_dropped(&out, marker, &format!("{lang}.ad.marker"));
        assert_eq!(out.removed[0].kind, "ad");
        assert_eq!(out.paragraphs, [a, prose, b], "{lang}");
    }
}

#[test]
fn ad_marker_with_decoration_is_still_a_marker_but_not_inside_a_sentence() {
    let (a, b) = story("en");
    let out = clean(&doc(&[a, "— ADVERTISEMENT —", "Advertisement revenue fell by a third.", b]));
    assert_dropped(&out, "— ADVERTISEMENT —", "en.ad.marker");
    assert_kept(&out, "Advertisement revenue fell by a third.");
}

// ------------------------------------------------------------ caption credits

#[test]
fn caption_credits_are_dropped_in_several_languages() {
    let cases = [
        ("da", "Borgmesteren forlader rådhuset mandag aften. Foto: Jens Dahl/Ritzau Scanpix", "da.caption.credit"),
        ("en", "Ted Harlow with his prize marrow on Saturday. (Photo by Sam Reid/Getty Images)", "en.caption.photo-by"),
        ("en", "Cranes stand idle at the northern terminal. REUTERS/Lena Fischer", "en.caption.agency-slash"),
        ("en", "Image: Wildflowers on the quarry floor", "en.caption.credit"),
        ("de", "Ein Helfer verteilt Wasser am Hauptbahnhof. Bild: dpa", "de.caption.credit"),
        ("nl", "Het parkeerterrein was zaterdag vol. Beeld ANP", "nl.caption.agency"),
        ("fr", "Des passagers attendent à l'aéroport. Crédit photo : Yann Le Gall", "fr.caption.credit"),
        ("es", "El molar hallado en la sima. Imagen: Fundación Atapuerca", "es.caption.credit"),
        ("it", "Turisti in fila sul ponte di Rialto. (foto Ansa)", "it.caption.foto-agency"),
        ("sv", "Skylten vid badplatsen varnar badgäster Bild: Anna Berg", "de.caption.credit"),
        ("no", "Slik har lekkasjene spredt seg i bygget Grafikk: Kari Nilsen", "no.caption.credit"),
        ("en", "The harbour at sunset © Ritzau Scanpix", "en.caption.copyright-credit"),
        ("de", "Die gesperrte Brücke am Morgen. Foto: Jörg Weber/dpa.", "da.caption.credit"),
    ];
    // Every language's rules are active on every document, so a keyword
    // two languages share is reported under the first file that has it.
    for (lang, caption, rule) in cases {
        let (a, b) = story(lang);
        let out = clean(&doc(&[a, caption, b]));
        assert_dropped(&out, caption, rule);
        assert_eq!(out.paragraphs, [a, b], "{caption}");
    }
}

#[test]
fn caption_keywords_in_prose_are_kept() {
    let cases = [
        ("en", "He painted a grim picture: prices will rise if the strike lasts."),
        ("en", "Reuters reported the figures on Monday, citing two officials."),
        ("de", "Es ergibt sich ein klares Bild: Die Mieten steigen weiter."),
        ("de", "Das Bild: Chaos."),
        ("de", "Bild: Die Mieten steigen in allen Stadtteilen weiter."),
        ("nl", "Zo ontstaat een somber beeld: de haven ligt al weken stil."),
        ("da", "Fotografen fik ikke adgang til mødet, siger chefredaktøren."),
        ("fr", "La photo a fait le tour des réseaux sociaux en quelques heures."),
    ];
    for (lang, prose) in cases {
        let (a, b) = story(lang);
        let out = clean(&doc(&[a, prose, b]));
        assert_eq!(out.paragraphs, [a, prose, b], "{prose}:\n{}", explain(&out));
    }
}

// ----------------------------------------------------- caption "show more"

#[test]
fn show_more_drops_a_caption_glued_to_its_own_repeat() {
    let cases = [
        ("da", "Cyklister på broen i morges Vis mere Cyklister på broen i morges", "da.caption.show-more"),
        ("en", "Crowds gather outside the court Show more Crowds gather outside the court", "en.caption.show-more"),
        ("de", "Die gesperrte Brücke am Morgen Mehr anzeigen Die gesperrte Brücke am Morgen", "de.caption.show-more"),
        (
            "nl",
            "De haven bij nacht gezien vanaf de dijk Meer tonen De haven bij nacht gezien vanaf de dijk",
            "nl.caption.show-more",
        ),
    ];
    for (lang, caption, rule) in cases {
        let (a, b) = story(lang);
        let out = clean(&doc(&[a, caption, b]));
        assert_dropped(&out, caption, rule);
        assert_eq!(out.removed[0].kind, "caption");
    }
}

#[test]
fn show_more_phrase_alone_removes_nothing() {
    let keep = [
        ("da", "Vis mere"),
        ("da", "Klik på vis mere for at se flere billeder fra dagen, skriver avisen."),
        ("en", "Show more"),
        ("en", "Crowds gather outside the court Show more Police close the road to traffic"),
        ("de", "Wer mehr anzeigen will, muss zuerst ein Formular ausfüllen."),
        ("nl", "Meer tonen dan nodig is, wil de gemeente niet."),
    ];
    for (lang, text) in keep {
        let (a, b) = story(lang);
        let out = clean(&doc(&[a, text, b]));
        assert_eq!(out.paragraphs, [a, text, b], "{text}:\n{}", explain(&out));
        assert!(out.removed.is_empty());
    }
}

// --------------------------------------------------- related header + run

#[test]
fn teaser_run_drops_titles_repeats_lede_and_glued_timestamps_then_story_resumes() {
    let (a, b) = story("nl");
    let text = doc(&[
        a,
        "Meer uit Binnenland",
        "Storm zorgt voor vertraging op het spoor",
        "Storm zorgt voor vertraging op het spoor",
        "UTRECHT (ANP) - Door de harde wind rijden er minder treinen tussen Utrecht en Amersfoort.",
        "7 minuten geledenAMSTERDAM (ANP) - Een brand in een bedrijfspand is onder controle.",
        "32 minuten geledenKabinet komt met plannen voor woningmarkt",
        "Zorgen over toerisme",
        b,
    ]);
    let out = clean(&text);
    assert_dropped(&out, "Meer uit Binnenland", "nl.related.more-from-section");
    assert_dropped(&out, "Storm zorgt voor vertraging op het spoor", "related.teaser-repeat");
    assert_dropped(
        &out,
        "UTRECHT (ANP) - Door de harde wind rijden er minder treinen tussen Utrecht en Amersfoort.",
        "related.teaser-lede",
    );
    assert_dropped(
        &out,
        "7 minuten geledenAMSTERDAM (ANP) - Een brand in een bedrijfspand is onder controle.",
        "nl.timestamp.relative",
    );
    assert_dropped(&out, "32 minuten geledenKabinet komt met plannen voor woningmarkt", "nl.timestamp.relative");
    // The subheading right after the run heads the story that resumes.
    assert_eq!(out.paragraphs, [a, "Zorgen over toerisme", b]);
    assert!(out.removed.iter().filter(|r| r.index > 0).all(|r| r.kind == "related"));
}

#[test]
fn teaser_run_in_other_languages() {
    let cases = [
        (
            "da",
            "Læs også",
            "Ny skole åbner trods forsinkelser",
            "for 3 timer sidenStorm lukker færgeruten",
            "da.related.header",
        ),
        (
            "de",
            "Mehr zum Thema",
            "Luchs im Harz gesichtet",
            "vor 2 TagenBiber staut Bach in Brandenburg",
            "de.related.header",
        ),
        (
            "fr",
            "Sur le même sujet",
            "Les aéroports régionaux face à la crise",
            "il y a 4 heuresLe TGV perturbé par un incident",
            "fr.related.header",
        ),
        (
            "es",
            "Noticias relacionadas",
            "Los embalses, al 40 % de su capacidad",
            "hace 5 horasOla de calor en Córdoba",
            "es.related.header",
        ),
        (
            "sv",
            "Läs också",
            "Vargen i Värmland ökar igen",
            "för 4 timmar sedanBjörn sågs nära skola",
            "sv.related.header",
        ),
        (
            "it",
            "Leggi anche",
            "Firenze, stop agli affitti brevi",
            "3 ore faRoma, nuove regole per i risciò",
            "it.related.header",
        ),
        (
            "pt",
            "Leia também",
            "Porto abre nova linha de metro",
            "há 3 horasCoimbra recebe festival",
            "pt.related.header",
        ),
        (
            "en",
            "Related stories",
            "Freight rates climb as delays drag on",
            "3 hours agoWheat futures jump on supply fears",
            "en.related.header",
        ),
    ];
    for (lang, header, title, stamped, rule) in cases {
        let (a, b) = story(lang);
        let out = clean(&doc(&[a, header, title, title, stamped, b]));
        assert_dropped(&out, header, rule);
        assert_dropped(&out, title, "related.teaser-repeat");
        assert_dropped(&out, stamped, &format!("{lang}.timestamp.relative"));
        assert_eq!(out.paragraphs, [a, b], "{lang}");
    }
}

#[test]
fn a_lede_right_under_the_header_goes_only_when_the_run_goes_on() {
    let (a, b) = story("da");
    let lede = "Eleverne flytter ind efter sommerferien, oplyser kommunen.";
    // A timestamped teaser follows: the paragraph was a teaser lede.
    let out = clean(&doc(&[a, "Læs også", lede, "for 2 timer sidenStorm lukker færgeruten", b]));
    assert_dropped(&out, lede, "related.teaser-lede");
    assert_eq!(out.paragraphs, [a, b]);
    // The story follows: the paragraph is the story resuming.
    let out = clean(&doc(&[a, "Læs også", lede, b]));
    assert_dropped(&out, "Læs også", "da.related.header");
    assert_eq!(out.paragraphs, [a, lede, b]);
}

#[test]
fn story_resuming_with_a_relative_time_in_prose_is_kept() {
    let (a, b) = story("en");
    let resumed = [
        "Two hours ago, police said the road had been cleared.",
        "The fire station opened three years ago.",
        "Police said the suspect was arrested 2 hours ago.",
    ];
    // After a timestamped teaser (which allows no lede), the sentence that
    // opens or closes with a relative time is the story resuming.
    for r in resumed {
        let out = clean(&doc(&[a, "Related stories", "1 day agoSeaside pier reopens after storm", r, b]));
        assert_dropped(&out, "1 day agoSeaside pier reopens after storm", "en.timestamp.relative");
        assert_eq!(out.paragraphs, [a, r, b], "{r}");
    }
    // A teaser with a trailing timestamp (no full stop after it) is a teaser.
    let t = "Container costs rose for a third week · 3 hours ago";
    let out = clean(&doc(&[a, "Related stories", "1 day agoSeaside pier reopens after storm", t, b]));
    assert_dropped(&out, t, "en.timestamp.relative");
    assert_eq!(out.paragraphs, [a, b]);
}

#[test]
fn question_titles_printed_twice_are_teasers() {
    let (a, b) = story("de");
    let q = "Wie schütze ich meine Haustiere vor der Hitze?";
    let out = clean(&doc(&[a, "Mehr zum Thema", q, q, "Tierärzte raten zu Schatten und Wasser.", b]));
    assert_dropped(&out, q, "related.teaser-repeat");
    assert_dropped(&out, "Tierärzte raten zu Schatten und Wasser.", "related.teaser-lede");
    assert_eq!(out.paragraphs, [a, b]);
}

#[test]
fn a_title_just_before_the_story_resumes_is_kept_as_a_subheading() {
    // Without a timestamp or a repeat, a lone title before story text cannot
    // be told from a subheading; keeping it is the safe choice.
    let (a, b) = story("en");
    let out = clean(&doc(&[a, "Read also", "Bus route 7 to be cut back from June", "Leaving it alone", b]));
    assert_dropped(&out, "Bus route 7 to be cut back from June", "related.teaser-title");
    assert_eq!(out.paragraphs, [a, "Leaving it alone", b]);
    let heading = out.blocks.iter().find(|(blk, _)| blk.text == "Leaving it alone").unwrap();
    assert_eq!(heading.1, Verdict::Keep { why: "heading" });
}

#[test]
fn related_header_words_inside_a_sentence_are_kept() {
    let cases = [
        ("da", "Læs også rapporten, før du stemmer, lyder rådet fra foreningen."),
        ("en", "Read more than one analyst note and the same warning appears."),
        ("de", "Lesen Sie mehr dazu im Hitzeschutzplan der Stadt."),
        ("nl", "Lees meer over de plannen op de website van het waterschap."),
        ("sv", "Läs mer om kvoterna på länsstyrelsens webbplats, uppmanar förbundet."),
        ("es", "Lee también el informe de la confederación si quiere saber más."),
        ("en", "More from the same family came forward later that week."),
    ];
    for (lang, prose) in cases {
        let (a, b) = story(lang);
        let out = clean(&doc(&[a, prose, b]));
        assert_eq!(out.paragraphs, [a, prose, b], "{prose}:\n{}", explain(&out));
    }
}

#[test]
fn a_second_header_starts_its_own_run() {
    let (a, _) = story("en");
    let out = clean(&doc(&[
        a,
        "Most read",
        "Couple find coin hoard in garden",
        "2 hours agoCouncil apologises for bins",
        "Recommended",
        "Swimming pool roof repairs to start in May",
    ]));
    assert_dropped(&out, "Most read", "en.related.header");
    assert_dropped(&out, "Recommended", "en.related.header");
    assert_dropped(&out, "Swimming pool roof repairs to start in May", "related.teaser-title");
    assert_eq!(out.paragraphs, [a]);
}

// ------------------------------------------------------------ related inline

#[test]
fn inline_related_lines_go_alone() {
    let cases = [
        ("en", "Read more: Village fete cancelled after goat eats bunting", "en.related.inline"),
        ("nl", "Lees ook: Winkelstraat krijgt nieuwe bestrating", "nl.related.inline"),
        ("fr", "Lire aussi | Le port de Marseille s'agrandit", "fr.related.inline"),
        ("fr", "À lire aussi Le port de Marseille s'agrandit", "fr.related.inline"),
        ("es", "Te puede interesar: Valencia estrena carril bici", "es.related.inline"),
        ("de", "Lesen Sie auch: Luchs im Harz gesichtet", "de.related.inline"),
    ];
    for (lang, line, rule) in cases {
        let (a, b) = story(lang);
        let out = clean(&doc(&[a, line, "Eine kurze Zeile", b]));
        assert_dropped(&out, line, rule);
        // `run = false`: the short block after the line is not a teaser.
        assert_eq!(out.paragraphs, [a, "Eine kurze Zeile", b], "{line}");
    }
}

#[test]
fn inline_related_words_in_prose_are_kept() {
    let cases = [
        ("en", "Read more about the show's history and you will find marrows judged since 1911."),
        ("fr", "Voir aussi le parcours détaillé publié par l'organisation."),
        ("fr", "Lire aussi les conditions de remboursement avant de réserver, conseillent-elles."),
        ("da", "Læs også resten af byrådets beslutninger i referatet."),
        ("en", "Watch: that was the word on every banner at the rally."),
        ("de", "Lesen Sie auch: Das Gutachten ist öffentlich und lohnt sich."),
    ];
    for (lang, prose) in cases {
        let (a, b) = story(lang);
        let out = clean(&doc(&[a, prose, b]));
        assert_eq!(out.paragraphs, [a, prose, b], "{prose}:\n{}", explain(&out));
    }
}

// ------------------------------------------------------- standalone timestamps

#[test]
fn standalone_timestamps_are_dropped() {
    let cases = [
        ("en", "2 hours ago", "en.timestamp.relative"),
        ("en", "an hour ago", "en.timestamp.relative"),
        ("da", "for 3 timer siden", "da.timestamp.relative"),
        ("nl", "7 minuten geleden", "nl.timestamp.relative"),
        ("de", "vor 2 Stunden", "de.timestamp.relative"),
        ("fr", "il y a 3 heures", "fr.timestamp.relative"),
        ("es", "hace 2 horas", "es.timestamp.relative"),
        ("it", "3 ore fa", "it.timestamp.relative"),
        ("pt", "há 2 dias", "pt.timestamp.relative"),
    ];
    for (lang, ts, rule) in cases {
        let (a, b) = story(lang);
        let out = clean(&doc(&[a, ts, b]));
        assert_dropped(&out, ts, rule);
        assert_eq!(out.removed[0].kind, "timestamp");
        assert_eq!(out.paragraphs, [a, b]);
    }
}

#[test]
fn relative_times_in_prose_are_kept() {
    let cases = [
        ("en", "Two hours ago, police said the road was clear."),
        ("en", "The fire started two hours ago, the brigade said."),
        ("da", "For 3 timer siden meldte politiet, at vejen var ryddet."),
        ("de", "Vor zwei Stunden meldete der Wetterdienst neue Rekordwerte."),
        ("it", "Due ore fa il sindaco ha confermato la decisione."),
        ("pt", "Há duas horas, a junta pediu uma reunião com o vereador."),
    ];
    for (lang, prose) in cases {
        let (a, b) = story(lang);
        let out = clean(&doc(&[a, prose, b]));
        assert_eq!(out.paragraphs, [a, prose, b], "{prose}:\n{}", explain(&out));
    }
}

// ------------------------------------------------------------------- footers

#[test]
fn footer_kinds_are_dropped() {
    let cases = [
        ("en", "Spotted an error? Tell us and we will correct it.", "en.footer.correction"),
        ("en", "Sign up for our morning newsletter", "en.footer.newsletter"),
        ("en", "Share this article", "en.footer.share-bar"),
        ("en", "Facebook Twitter WhatsApp Email", "en.footer.share-bar"),
        ("en", "We use cookies to improve your experience.", "en.footer.cookies"),
        ("en", "© 2024 Example Media. All rights reserved.", "en.footer.copyright"),
        ("en", "Follow us on Instagram for more stories", "en.footer.follow-us"),
        ("da", "Har du fundet en fejl i artiklen? Skriv til os.", "da.footer.correction"),
        ("da", "Tilmeld dig vores nyhedsbrev", "da.footer.newsletter"),
        ("de", "Jetzt den Newsletter abonnieren", "de.footer.newsletter"),
        ("nl", "Alle rechten voorbehouden.", "nl.footer.copyright"),
        ("fr", "Il vous reste 60 % de cet article à lire.", "fr.footer.paywall"),
        ("it", "Riproduzione riservata", "it.footer.copyright"),
        ("sv", "Vi använder cookies för att ge dig en bättre upplevelse.", "sv.footer.cookies"),
        ("en", "Spotted a typo? Select the text and press Ctrl+Enter.", "en.footer.correction"),
        ("de", "Fehler gefunden? Markieren Sie den Text und drücken Sie Strg + Enter.", "en.footer.correction-hotkey"),
        ("da", "Har du set en stavefejl? Markér teksten og tryk Ctrl+Enter", "en.footer.correction-hotkey"),
        ("fr", "Une erreur ? Sélectionnez le passage et appuyez sur Ctrl+Entrée.", "en.footer.correction-hotkey"),
        ("nl", "Selecteer de tekst en druk op Ctrl+Enter om een fout te melden.", "en.footer.correction-hotkey"),
        ("es", "¿Has visto un error? Selecciona el texto y pulsa Ctrl+Intro.", "en.footer.correction-hotkey"),
    ];
    for (lang, line, rule) in cases {
        let (a, b) = story(lang);
        let out = clean(&doc(&[a, b, line]));
        assert_dropped(&out, line, rule);
        assert_eq!(out.removed[0].kind, "footer");
        assert_eq!(out.paragraphs, [a, b]);
    }
}

#[test]
fn footer_words_in_story_sentences_are_kept() {
    let cases = [
        ("en", "Newsletters sent by the council went unread for years, the audit found."),
        ("en", "Copyright lawyers say the ruling will change the music industry."),
        ("en", "Share prices fell sharply after the announcement."),
        ("en", "The bakery's cookies sold out by noon, the owner said."),
        ("da", "Få læsere åbnede kommunens nyhedsbrev, viser en opgørelse."),
        ("sv", "Få läsare öppnade kommunens nyhetsbrev, visar en granskning."),
        // A key combination in a story, with an error but no "select the text".
        ("en", "An error in the update meant users had to press Ctrl+Enter twice, the company admitted."),
        ("de", "Wer die Auswahl markieren will, drückt nach dem Update Strg und A, erklärte der Hersteller."),
    ];
    for (lang, prose) in cases {
        let (a, b) = story(lang);
        let out = clean(&doc(&[a, prose, b]));
        assert_eq!(out.paragraphs, [a, prose, b], "{prose}:\n{}", explain(&out));
    }
}

// ------------------------------------------------------------------ metadata

#[test]
fn date_stamp_prefix_is_trimmed_and_reported() {
    let (a, _) = story("da");
    let out = clean(&format!(" date 2023-09 Borgmester trækker sig\n\n{a}"));
    assert_eq!(out.paragraphs, ["Borgmester trækker sig", a]);
    assert_eq!(out.metadata.date.as_deref(), Some("2023-09"));
    assert_eq!(out.removed.len(), 1);
    assert_eq!((out.removed[0].rule.as_str(), out.removed[0].kind.as_str()), ("en.metadata.date-stamp", "metadata"));
    assert_eq!(out.removed[0].text, "date 2023-09");
    // The stamp glued to a first paragraph of prose: only the stamp goes.
    let out = clean(&format!(" date 2024-03-15 {a}"));
    assert_eq!(out.paragraphs, [a]);
    assert_eq!(out.metadata.date.as_deref(), Some("2024-03-15"));
}

#[test]
fn source_lines_and_bylines_fill_metadata() {
    let cases = [
        ("en", "Source: Reuters", "en.metadata.source", "source", "Reuters"),
        ("da", "Kilde: Ritzau", "da.metadata.source", "source", "Ritzau"),
        ("de", "Quelle: dpa", "de.metadata.source", "source", "dpa"),
        ("nl", "Bron: ANP", "nl.metadata.source", "source", "ANP"),
        ("en", "By Jane Doe", "en.metadata.byline", "author", "Jane Doe"),
        ("da", "Af Karen Holm", "da.metadata.byline", "author", "Karen Holm"),
        ("de", "Von Lena Brandt", "de.metadata.byline", "author", "Lena Brandt"),
        ("nl", "Door Sanne de Boer", "nl.metadata.byline", "author", "Sanne de Boer"),
        ("en", "Published: 12 March 2024", "en.metadata.published", "date", "12 March 2024"),
    ];
    for (lang, line, rule, field, value) in cases {
        let (a, b) = story(lang);
        let out = clean(&doc(&["A headline for the story", line, a, b]));
        assert_dropped(&out, line, rule);
        let got = match field {
            "source" => out.metadata.source.as_deref(),
            "author" => out.metadata.author.as_deref(),
            _ => out.metadata.date.as_deref(),
        };
        assert_eq!(got, Some(value), "{line}");
        assert_eq!(out.paragraphs, ["A headline for the story", a, b]);
    }
}

#[test]
fn metadata_look_alikes_in_prose_are_kept() {
    let (a, b) = story("en");
    let cases = [
        "By Tuesday, most of the snow had melted.",
        "Updated figures are expected in 2025.",
        "Published in 1851, the paper is the oldest in the region.",
        "Source: a senior official, speaking anonymously, confirmed the talks.",
    ];
    for prose in cases {
        // At the top and at the bottom, where metadata rules look.
        let out = clean(&doc(&[prose, a, b]));
        assert_eq!(out.paragraphs, [prose, a, b], "{prose}:\n{}", explain(&out));
        let out = clean(&doc(&[a, b, prose]));
        assert_eq!(out.paragraphs, [a, b, prose], "{prose}:\n{}", explain(&out));
    }
    // Metadata rules only look at the edges: a Source line deep inside the
    // body is left alone.
    let mid = "Source: a person familiar with the talks";
    let out = clean(&doc(&[a, b, a, b, mid, b, a, b, a]));
    assert_kept(&out, mid);
}

// ---------------------------------------------------------- context safety net

#[test]
fn context_net_drops_a_fragment_enclosed_by_boilerplate() {
    let (a, b) = story("da");
    let out = clean(&doc(&[a, "Foto: Jens Dahl", "Nyheder Indland", "Annonce", b]));
    assert_dropped(&out, "Nyheder Indland", "context.enclosed-fragment");
    assert_eq!(out.removed.iter().find(|r| r.text == "Nyheder Indland").unwrap().kind, "context");
    assert_eq!(out.paragraphs, [a, b]);
}

#[test]
fn context_net_keeps_headlines_sentences_and_lists() {
    let (a, b) = story("da");
    // A headline between an ad slot and a byline is the headline.
    let out = clean(&doc(&["Annonce", "Stormvejr rammer Vestjylland", "Af Karen Holm", a]));
    assert_eq!(out.paragraphs, ["Stormvejr rammer Vestjylland", a]);
    // A headline at the top, before a dropped line.
    let out = clean(&doc(&["Stormvejr rammer Vestjylland", "Annonce", a]));
    assert_eq!(out.paragraphs, ["Stormvejr rammer Vestjylland", a]);
    // A short sentence and a list between ads are story text.
    let out = clean(&doc(&[a, "Annonce", "Hun sagde ja.", "Annonce", "• Pigdæk\n• Lygter", "Annonce", b]));
    assert_eq!(out.paragraphs, [a, "Hun sagde ja.", "• Pigdæk\n• Lygter", b]);
    // A subheading with stopwords between boilerplate is not a fragment.
    let out = clean(&doc(&[a, "Annonce", "Kritik fra begge sider", "Annonce", b]));
    assert_kept(&out, "Kritik fra begge sider");
}

// -------------------------------------------------------- language detection

#[test]
fn language_is_detected_and_reported() {
    for lang in ["en", "da", "nl", "de", "fr", "es", "sv", "no", "it", "pt"] {
        let (a, b) = story(lang);
        let out = clean(&doc(&[a, b]));
        assert_eq!(out.metadata.language.as_deref(), Some(lang), "{a}");
    }
    assert_eq!(clean("12345 67890").metadata.language, None);
}

#[test]
fn language_can_be_forced() {
    let (a, b) = story("da");
    let out = Cleaner::new().without_model().language(Some("NO".into())).clean_text(&doc(&[a, b]));
    assert_eq!(out.metadata.language.as_deref(), Some("no"));
    assert_eq!(out.paragraphs, [a, b]);
}

// ---------------------------------------------------------------- user rules

#[test]
fn user_rules_add_to_the_builtin_ones() {
    let mut builder = RuleSetBuilder::with_builtin();
    builder
        .add_toml(
            r#"
language = "site"

[[rule]]
name = "ad.house"
kind = "ad"
phrases = ["From our partners"]

[[rule]]
name = "footer.app"
kind = "footer"
pattern = '(?i)^get the example app\b'

[[rule]]
name = "related.block"
kind = "related"
phrases = ["Elsewhere on Example"]
"#,
            "site.toml",
        )
        .expect("valid rules");
    let cleaner = Cleaner::with_rules(builder.build().expect("builds")).without_model();
    let (a, b) = story("en");
    let text = doc(&[
        a,
        "From our partners",
        "Advertisement",
        b,
        "Elsewhere on Example",
        "Seaside pier reopens after storm",
        "Get the Example app for iPhone and Android",
    ]);
    let out = cleaner.clean_text(&text);
    assert_dropped(&out, "From our partners", "site.ad.house");
    assert_dropped(&out, "Advertisement", "en.ad.marker");
    assert_dropped(&out, "Elsewhere on Example", "site.related.block");
    assert_dropped(&out, "Seaside pier reopens after storm", "related.teaser-title");
    assert_dropped(&out, "Get the Example app for iPhone and Android", "site.footer.app");
    assert_eq!(out.paragraphs, [a, b]);
    // The built-in cleaner does not know them.
    let plain = clean(&text);
    assert_kept(&plain, "From our partners");
    assert_kept(&plain, "Get the Example app for iPhone and Android");
}

#[test]
fn user_rules_can_turn_off_the_teaser_run() {
    let mut builder = RuleSetBuilder::with_builtin();
    builder
        .add_toml("language = 'site'\n[[rule]]\nname = 'related.label'\nkind = 'related'\nrun = false\nphrases = ['Partner news']", "site.toml")
        .unwrap();
    let cleaner = Cleaner::with_rules(builder.build().unwrap()).without_model();
    let (a, b) = story("en");
    let out = cleaner.clean_text(&doc(&[a, "Partner news", "A short title line here", b]));
    assert_dropped(&out, "Partner news", "site.related.label");
    assert_eq!(out.paragraphs, [a, "A short title line here", b]);
}

#[test]
fn bad_user_rules_are_errors_that_name_the_file() {
    let mut builder = RuleSetBuilder::with_builtin();
    let err = builder
        .add_toml("language = 'site'\n[[rule]]\nname = 'bad'\nkind = 'ad'\npattern = '(unclosed'", "mine.toml")
        .unwrap_err();
    assert!(matches!(err, Error::RulePattern { .. }), "{err:?}");
    assert!(err.to_string().contains("mine.toml"), "{err}");
    let err = builder.add_toml("language = 'site'\n[[rule]]\nname = 'x'\nkind = 'ad'", "mine.toml").unwrap_err();
    assert!(err.to_string().contains("mine.toml"), "{err}");
}

// ------------------------------------------- more site patterns, and their near-misses

#[test]
fn a_bullet_list_of_titles_under_a_header_is_a_teaser_list() {
    let (a, b) = story("da");
    let list = "• Sygeplejersker stemmer nej til overenskomst\n• Ventelisterne vokser på sygehusene\n• Minister vil se på lønnen";
    let out = clean(&doc(&[a, "Læs også:", list, "Ingen forhandlinger i sigte", b]));
    assert_dropped(&out, list, "related.teaser-list");
    assert_eq!(out.paragraphs, [a, "Ingen forhandlinger i sigte", b]);
    // A list of sentences under the header is story text.
    let facts = "• Kommunen stemmer om planen på mandag.\n• Borgmesteren har trukket sig.";
    let out = clean(&doc(&[a, "Læs også:", facts, b]));
    assert_eq!(out.paragraphs, [a, facts, b]);
}

#[test]
fn a_headline_that_is_the_headers_only_teaser_goes_but_a_short_subheading_stays() {
    let (a, b) = story("es");
    let title = "El metro de Madrid bate su récord de viajeros en 2023";
    let out = clean(&doc(&[a, "Más información", title, b]));
    assert_dropped(&out, "Más información", "es.related.header");
    assert_dropped(&out, title, "related.teaser-title");
    assert_eq!(out.paragraphs, [a, b]);
    let out = clean(&doc(&[a, "Más información", "Los comerciantes, preocupados", b]));
    assert_eq!(out.paragraphs, [a, "Los comerciantes, preocupados", b]);
}

#[test]
fn tag_lists_under_a_topics_header_go() {
    let (a, b) = story("en");
    let out = clean(&doc(&[a, b, "Related Topics", "Flooding", "Worcestershire"]));
    assert_dropped(&out, "Flooding", "related.teaser-title");
    assert_dropped(&out, "Worcestershire", "related.teaser-title");
    assert_eq!(out.paragraphs, [a, b]);
    let (a, b) = story("sv");
    let out = clean(&doc(&[a, b, "Ämnen", "Stormar", "Skåne"]));
    assert_dropped(&out, "Ämnen", "sv.related.header");
    assert_eq!(out.paragraphs, [a, b]);
}

#[test]
fn navigation_links_go_and_sentences_that_start_alike_stay() {
    let cases = [
        ("de", "Zur Startseite", "de.footer.nav", "Nach oben ging es für die Mannschaft erst im Frühjahr."),
        ("en", "Back to top", "en.footer.nav", "Back to the top of the league went the club after the win."),
        ("da", "Til forsiden", "da.footer.nav", "Til forsiden af avisen kom historien først dagen efter."),
    ];
    for (lang, nav, rule, prose) in cases {
        let (a, b) = story(lang);
        let out = clean(&doc(&[a, prose, b, nav]));
        assert_dropped(&out, nav, rule);
        assert_eq!(out.paragraphs, [a, prose, b]);
    }
}

#[test]
fn wire_staff_credits_go_and_sentences_about_reporting_stay() {
    let (a, b) = story("en");
    let credits = [
        "Reporting by Sarah Okoye; Editing by Mark Hale",
        "(Additional reporting by Kim Lee in Seoul)",
        "Associated Press writers Jane Roe in Paris and Tom Poe in Rome contributed to this report.",
    ];
    for c in credits {
        let out = clean(&doc(&[a, b, c]));
        assert_dropped(&out, c, "en.footer.wire-credits");
    }
    let prose = "Reporting by the local paper prompted the inquiry into the harbour.";
    let out = clean(&doc(&[a, b, prose]));
    assert_eq!(out.paragraphs, [a, b, prose]);
}

#[test]
fn capitalised_name_before_an_agency_closes_a_caption() {
    let cases = [
        (
            "fr",
            "Des immeubles en construction près de Madrid, le 5 mars. PIERRE-PHILIPPE MARCOU / AFP",
            "en.caption.name-agency",
        ),
        ("pt", "A ministra à saída da reunião, em Lisboa. ANTÓNIO PEDRO SANTOS / LUSA", "en.caption.name-agency"),
        ("it", "Pannelli solari su un tetto a Bologna. ANSA/GIORGIO BENVENUTI", "en.caption.agency-slash"),
    ];
    for (lang, caption, rule) in cases {
        let (a, b) = story(lang);
        let out = clean(&doc(&[a, caption, b]));
        assert_dropped(&out, caption, rule);
        assert_eq!(out.paragraphs, [a, b]);
    }
    let (a, b) = story("fr");
    let prose = "Les chiffres de l'AFP et de Reuters divergent nettement sur ce point.";
    assert_eq!(clean(&doc(&[a, prose, b])).paragraphs, [a, prose, b]);
}

#[test]
fn datelines_and_agency_sources_fill_metadata() {
    let (a, b) = story("es");
    let out = clean(&doc(&["Un titular para la noticia", "Madrid - 12 mar 2024 - 13:45 CET", a, b]));
    assert_dropped(&out, "Madrid - 12 mar 2024 - 13:45 CET", "en.metadata.dateline");
    assert_eq!(out.metadata.date.as_deref(), Some("12 mar 2024 - 13:45 CET"));
    let (a, b) = story("fr");
    let out = clean(&doc(&["Le Monde avec AFP", a, b]));
    assert_dropped(&out, "Le Monde avec AFP", "fr.metadata.source-avec");
    assert_eq!(out.metadata.source.as_deref(), Some("Le Monde avec AFP"));
    assert_eq!(out.paragraphs, [a, b]);
    // A sentence that opens with a date is not a dateline.
    let prose = "12 mars 2024 restera une date importante pour les habitants.";
    assert_eq!(clean(&doc(&[prose, a, b])).paragraphs, [prose, a, b]);
}

#[test]
fn video_teaser_lines_go_alone() {
    let (a, b) = story("nl");
    let line = "Video | Zo zag de blokkade er vanuit de lucht uit";
    let out = clean(&doc(&[a, line, b]));
    assert_dropped(&out, line, "en.related.inline");
    assert_eq!(out.paragraphs, [a, b]);
}

#[test]
fn a_teaser_title_printed_above_its_header_goes_with_the_run() {
    let (a, b) = story("en");
    let t = "The moth that hears like an owl";
    let out = clean(&doc(&[a, t, "More from Science", t, "Researchers found an ear tuned to its predators.", b]));
    assert_eq!(out.paragraphs, [a, b], "\n{}", explain(&out));
    assert!(out.removed.iter().filter(|r| r.text == t).all(|r| r.rule == "related.teaser-repeat"));
    // A headline above the header that the run does not repeat stays.
    let out = clean(&doc(&["Why the bees came back", a, "Leaving it alone", "More from Science", t, t, b]));
    assert_kept(&out, "Leaving it alone");
    assert_kept(&out, "Why the bees came back");
}

#[test]
fn more_related_section_headers_are_dropped_but_not_sentences_that_start_alike() {
    for (lang, header, rule) in [
        ("de", "Weitere Themen", "de.related.header"),
        ("de", "Empfohlene Beiträge", "de.related.header"),
        ("de", "Ähnliche Beiträge:", "de.related.header"),
        ("en", "Explore further", "en.related.header"),
        ("en", "You might like", "en.related.header"),
    ] {
        let (a, b) = story(lang);
        let out = clean(&doc(&[a, b, header]));
        assert_dropped(&out, header, rule);
        assert_kept(&out, b);
    }
    for (lang, prose) in [
        ("de", "Weitere Themen der Sitzung waren der Haushalt und die neue Buslinie zum Bahnhof."),
        ("en", "Explore further upstream and the river narrows to a stream within a mile."),
    ] {
        let (a, b) = story(lang);
        let out = clean(&doc(&[a, prose, b]));
        assert_eq!(out.paragraphs, [a, prose, b], "{prose}:\n{}", explain(&out));
    }
}

// ---- Languages without a rules file (issue 9): language-neutral patterns ----

/// Two Polish story paragraphs (a language with no rules file).
const PL_A: &str = "Radni zdecydowali we wtorek, że przez centrum miasta przejedzie nowa linia tramwajowa, która połączy dworzec z osiedlem.";
const PL_B: &str =
    "Przeciwnicy projektu twierdzą, że miasto powinno najpierw wyremontować istniejące linie autobusowe na obrzeżach.";

#[test]
fn a_caption_glued_to_its_repeat_by_any_short_toggle_goes() {
    let cap = "Robotnicy mierzą torowisko przy ulicy Portowej. Jan Kowalski Pokaż więcej Robotnicy mierzą torowisko przy ulicy Portowej. Jan Kowalski";
    let cut = "Valtuutetut tutustuivat tonttiin maanantaina. Matti Virtanen Näytä lisää Valtuutetut tutustuivat tonttiin maanantaina. Matti";
    let out = clean(&doc(&[PL_A, cap, cut, PL_B]));
    assert_dropped(&out, cap, "caption.glued-repeat");
    assert_dropped(&out, cut, "caption.glued-repeat");
    assert_kept(&out, PL_A);
    // A sentence that repeats its opening words, with more than three words
    // or a sentence between the copies, is story text.
    let story = [
        "Nowa linia tramwajowa ma być gotowa w 2027 roku, bo nowa linia tramwajowa ma być gotowa w 2027 roku według planu.",
        "Robotnicy mierzą torowisko. Tak. Robotnicy mierzą torowisko.",
        "Nie wiemy, co dalej. Kto wie, co dalej. Nie wiemy, co dalej.",
    ];
    let out = clean(&doc(&[PL_A, story[0], story[1], story[2], PL_B]));
    for s in story {
        assert_kept(&out, s);
    }
}

#[test]
fn a_credit_after_a_short_photo_word_closes_a_caption_in_any_language() {
    let caps = [
        "Robotnicy mierzą torowisko przy ulicy Portowej. Fot. Jan Kowalski/PAP",
        "Valtuutetut tutustuivat tonttiin. Kuva: Matti Virtanen / Lehtikuva",
        "Dělníci měří břeh řeky. Snímek: Petr Novák, ČTK",
        "A képviselők kedden bejárták a területet. Fotó: MTI",
        "Zdjęcie: Anna Nowak",
    ];
    let story = [
        "Wymieniono kilka miast, np. Kraków, Gdańsk i Łódź.",
        "Zdjęcia zrobił Jan Kowalski, fotoreporter agencji PAP, który był na miejscu od rana.",
        "Mieszkańcy pytali o koszty. Dzięki. Anna Nowak, Gdańsk",
        "Na konferencji padło jedno nazwisko: Kowalski.",
    ];
    let mut parts = vec![PL_A];
    parts.extend(caps);
    parts.extend(story);
    parts.push(PL_B);
    let out = clean(&doc(&parts));
    for c in caps {
        assert!(out.removed.iter().any(|r| r.text == c && r.kind == "caption"), "`{c}` should go:\n{}", explain(&out));
    }
    for s in story {
        assert_kept(&out, s);
    }
}

#[test]
fn ad_labels_of_every_language_go_as_whole_blocks_only() {
    for label in ["Reklama", "Mainos", "Hirdetés", "Publicitate", "Oglas", "Διαφήμιση", "Реклама", "Auglýsing"]
    {
        let out = clean(&doc(&[PL_A, label, PL_B]));
        assert_dropped(&out, label, "neutral.ad.marker");
        assert_kept(&out, PL_B);
    }
    let s = "Reklama w lokalnej gazecie kosztowała kupców dwa tysiące złotych.";
    assert_kept(&clean(&doc(&[PL_A, s, PL_B])), s);
}

#[test]
fn related_headers_of_other_languages_take_their_teaser_runs() {
    let out = clean(&doc(&[
        PL_A,
        "Czytaj też\nNowe rozkłady jazdy od kwietnia\n7 minut temuRada przyjęła budżet na przyszły rok\n2 godziny temuMost nad kanałem zamknięty do maja",
        "Prace zaczną się jesienią.",
        PL_B,
    ]));
    assert_dropped(&out, "Czytaj też", "neutral.related.header");
    assert_dropped(&out, "7 minut temuRada przyjęła budżet na przyszły rok", "neutral.timestamp.relative");
    assert_kept(&out, "Prace zaczną się jesienią.");
    // A sentence that opens with the header's words is story text.
    let s = "Czytaj też uważnie, co napisano drobnym drukiem w umowie.";
    assert_kept(&clean(&doc(&[PL_A, s, PL_B])), s);
}

#[test]
fn an_unnamed_header_over_timestamped_teasers_is_a_related_block() {
    // Estonian: no rules file, no header phrase, no unit list.
    let et_a = "Linnavolikogu otsustas neljapäeval ehitada sadama kohale uue silla, kuid opositsioon leiab, et raha tuleks kulutada koolidele.";
    let et_b = "Linnapea sõnul algavad tööd sügisel ja kestavad umbes kolm aastat, kui uusi viivitusi ei tule.";
    let out = clean(&doc(&[
        et_a,
        "Värsked uudised\n5 minutit tagasiValitsus kinnitas uue eelarve\n2 tundi tagasi TALLINN (ERR) - Sadamasild suletakse märtsini\nUus bussiliin avatakse kevadel",
        "Tööd algavad sügisel.",
        et_b,
    ]));
    assert_dropped(&out, "Värsked uudised", "related.unnamed-header");
    assert_dropped(&out, "5 minutit tagasiValitsus kinnitas uue eelarve", "related.timestamp");
    assert_dropped(&out, "2 tundi tagasi TALLINN (ERR) - Sadamasild suletakse märtsini", "related.timestamp");
    assert_kept(&out, "Tööd algavad sügisel.");
    assert_kept(&out, et_b);
    // A subheading over story paragraphs that open with a number is kept,
    // and so is a sentence that opens with a relative time.
    let story = [
        "Kolm aastat ootamist",
        "15 aastat tagasi Tamm asutas ettevõtte, mis ehitab nüüd silda.",
        "3 päeva jooksul Kogunes allkirju rohkem kui kunagi varem, ütles linnapea ja lisas, et see on rekord.",
    ];
    let out = clean(&doc(&[et_a, story[0], story[1], story[2], et_b]));
    for s in story {
        assert_kept(&out, s);
    }
}

#[test]
fn quantities_are_not_relative_timestamps_and_a_shape_never_takes_a_paragraph() {
    // English names its relative timestamps: a list of quantities under a
    // short heading is no teaser run, and the paragraph after it is story.
    let facts = ["Key facts", "250 square metres", "4 bedrooms"];
    let story = [
        "The seaside villa on the old harbour road was sold on Tuesday after an auction that lasted three hours.",
        "The buyer, a local family with three children, said they had looked for a house near the water for years.",
        "They plan to move in next spring, once the roof has been repaired and the garden replanted.",
    ];
    let out = clean(&doc(&[story[0], facts[0], facts[1], facts[2], story[1], story[2]]));
    for k in facts.iter().chain(&story) {
        assert_kept(&out, k);
    }
    // Estonian has no rules file: a shape counts only when another block
    // repeats its fixed word, as "tagasi" in "5 minutit tagasi" and "2 tundi
    // tagasi". Ingredients ("2 klaasi jahu", "1 lusikas suhkrut") do not.
    let et_a = "Linnavolikogu otsustas neljapäeval ehitada sadama kohale uue silla, kuid opositsioon leiab, et raha tuleks kulutada koolidele.";
    let recipe =
        ["Koostisosad", "2 klaasi jahu", "1 lusikas suhkrut", "Sega jahu ja suhkur kausis ning lisa vähehaaval piima."];
    let out = clean(&doc(&[et_a, recipe[0], recipe[1], recipe[2], recipe[3]]));
    for k in recipe {
        assert_kept(&out, k);
    }
    // A timestamp known by its shape alone goes with its run, but the
    // paragraph after a lone one stays: the weakest evidence never drops a
    // sentence.
    let lede = "Valitsus kinnitas uue eelarve, mis suurendab kulutusi koolidele ja teedele.";
    let run = ["Värsked uudised", "5 minutit tagasi", "Uus bussiliin avatakse kevadel", "2 tundi tagasi"];
    let out = clean(&doc(&[et_a, run[0], run[1], run[2], run[3], lede, et_a]));
    assert_dropped(&out, run[0], "related.unnamed-header");
    assert_dropped(&out, run[1], "related.timestamp");
    assert_dropped(&out, run[2], "related.teaser-title");
    assert_dropped(&out, run[3], "related.timestamp");
    assert_kept(&out, lede);
}

#[test]
fn a_prefix_date_stamp_goes_from_a_long_first_paragraph() {
    let long = "Radni miasta Nowe Brzegi zdecydowali we wtorek wieczorem, że przez centrum przejedzie nowa linia tramwajowa. Za projektem głosowało 23 radnych, przeciw było ośmiu, a dwóch wstrzymało się od głosu. Budowa ma kosztować około 410 milionów złotych i potrwać trzy lata. Pieniądze w większości pochodzą z funduszy unijnych, ale część kosztów pokryje budżet miasta, co według opozycji oznacza mniej inwestycji w szkoły.";
    assert!(long.split_whitespace().count() >= 60);
    let out = clean(&format!(" date 2024-03-12 {long}\n\n{PL_B}"));
    assert_eq!(out.metadata.date.as_deref(), Some("2024-03-12"));
    assert_eq!(out.paragraphs[0], long);
    // A stamp inside the paragraph is not a prefix.
    let s = format!("Według protokołu z posiedzenia (date 2024-03-12) {long}");
    let out = clean(&format!("{s}\n\n{PL_B}"));
    assert_kept(&out, &s);
    assert_eq!(out.metadata.date, None);
}

#[test]
fn pipe_joined_navigation_goes_and_a_results_row_stays() {
    let nav = ["Home | News | Sport", "Strona główna | Wiadomości | Region | Sport", "Tisk | Sdílet | Komentáře |"];
    let keep = ["Kowalski | 1204 | 45%", "Wyniki: Kowalski | Nowak", "Ona mówi: tak | nie | może. Tak było."];
    let mut parts = vec![PL_A];
    parts.extend(keep);
    parts.push(PL_B);
    parts.extend(nav);
    parts.push(PL_A);
    let out = clean(&doc(&parts));
    for n in nav {
        assert_dropped(&out, n, "neutral.footer.pipe-nav");
    }
    for k in keep {
        assert_kept(&out, k);
    }
}

#[test]
fn breadcrumbs_of_section_labels_go() {
    let out = clean(&doc(&[PL_A, "Wiadomości > Kraj > Polityka", "Uutiset › Kotimaa", PL_B]));
    assert_dropped(&out, "Wiadomości > Kraj > Polityka", "neutral.footer.breadcrumb");
    assert_dropped(&out, "Uutiset › Kotimaa", "neutral.footer.breadcrumb");
    let s = "Powiedział krótko: »Nie« i wyszedł z sali.";
    assert_kept(&clean(&doc(&[PL_A, s, PL_B])), s);
}

#[test]
fn mojibake_copyright_lines_and_agency_credits_go() {
    let lines = doc(&[PL_A, PL_B, "Â© 2024 Gazeta Nadmorska", "Forrás: MTI", "PAP/jk", "(ČTK)"]);
    // The rule is for mojibake left as it is; by default it is repaired first.
    let out = Cleaner::new().without_model().fix_mojibake(false).clean_text(&lines);
    assert_dropped(&out, "Â© 2024 Gazeta Nadmorska", "neutral.footer.copyright-mojibake");
    assert_dropped(&clean(&lines), "© 2024 Gazeta Nadmorska", "en.footer.copyright");
    let out = clean(&lines);
    assert_dropped(&out, "Forrás: MTI", "neutral.footer.agency-credit");
    assert_dropped(&out, "PAP/jk", "neutral.footer.agency-credit");
    assert_dropped(&out, "(ČTK)", "neutral.footer.agency-credit");
    let keep =
        ["Agencja PAP podała, że wyniki będą znane w piątek.", "Źródło: PAP podało, że rada zbierze się w piątek."];
    let out = clean(&doc(&[PL_A, keep[0], keep[1], PL_B]));
    for k in keep {
        assert_kept(&out, k);
    }
}

#[test]
fn follow_us_lines_in_the_nordic_languages_go() {
    let (a, b) = story("da");
    for line in
        ["Følg os på Facebook", "Følg oss på Instagram og X", "Följ oss på Facebook", "Seuraa meitä Facebookissa"]
    {
        let out = clean(&doc(&[a, line, b]));
        assert!(out.removed.iter().any(|r| r.text == line && r.kind == "footer"), "{line}:\n{}", explain(&out));
    }
    let s = "Følg os på vej til stranden, sagde borgmesteren til de fremmødte.";
    assert_kept(&clean(&doc(&[a, s, b])), s);
}

#[test]
fn share_this_article_lines_in_the_romance_languages_go() {
    let (a, b) = story("es");
    for line in [
        "Partager cet article",
        "Compartir este artículo",
        "Condividi questo articolo",
        "Partilhe este artigo",
        "Distribuie acest articol",
    ] {
        let out = clean(&doc(&[a, line, b]));
        assert_dropped(&out, line, "neutral.footer.share-article");
    }
    let s = "Compartir este artículo le costó el puesto al concejal.";
    assert_kept(&clean(&doc(&[a, s, b])), s);
}

#[test]
fn wire_credits_outside_english_go_and_sentences_stay() {
    let (a, b) = story("fr");
    let credits = [
        "(Reportage Marc Durand; édité par Anne Roux)",
        "(Reporte de Ana Ruiz; editado por Luis Gil)",
        "(Bericht von Jan Roth, redigiert von Eva Lutz)",
        "Redigering: Kari Dahl",
    ];
    let mut parts = vec![a];
    parts.extend(credits);
    parts.push(b);
    let out = clean(&doc(&parts));
    for c in credits {
        assert_dropped(&out, c, "neutral.footer.wire-credits");
    }
    let keep = ["Reportage: la ville a changé en dix ans.", "(Reportage réalisé avant les élections.)"];
    let out = clean(&doc(&[a, keep[0], keep[1], b]));
    for k in keep {
        assert_kept(&out, k);
    }
}

#[test]
fn languages_without_rules_are_detected() {
    for (lang, text) in [
        ("pl", PL_A),
        ("cs", "Městská rada ve čtvrtek rozhodla, že nový most přes řeku bude postaven do tří let, ale opozice tvrdí, že peníze měly jít na školy."),
        ("fi", "Kaupunginvaltuusto päätti torstaina rakentaa uuden sillan sataman yli, mutta oppositio katsoo, että rahat pitäisi käyttää kouluihin."),
        ("hu", "A városi tanács csütörtökön úgy döntött, hogy új hidat épít a kikötő fölött, de az ellenzék szerint a pénzt az iskolákra kellene költeni."),
    ] {
        assert_eq!(clean(text).metadata.language.as_deref(), Some(lang), "{text}");
    }
}
