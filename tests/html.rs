//! HTML input end to end: the fixtures under tests/fixtures/html (written for
//! this project) go through `Cleaner::clean_bytes`; a snapshot records the
//! kept paragraphs, what was removed and by which rule, and the metadata.
//! The assertions pin what must hold whatever the snapshot says.

use newsclean::{Cleaned, Cleaner};
use std::fmt::Write;
use std::path::Path;

fn clean(path: &Path) -> Cleaned {
    let bytes = std::fs::read(path).expect("fixture is readable");
    Cleaner::new().clean_bytes(&bytes).expect("HTML input cleans")
}

fn fixture(name: &str) -> Cleaned {
    clean(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html").join(name))
}

/// The rule that removed the first block holding `needle`, if one did.
fn removed_by<'a>(c: &'a Cleaned, needle: &str) -> Option<&'a str> {
    c.removed.iter().find(|r| r.text.contains(needle)).map(|r| r.rule.as_str())
}

fn render(c: &Cleaned) -> String {
    let mut s = String::new();
    writeln!(s, "metadata: {}", serde_json::to_string(&c.metadata).unwrap()).unwrap();
    writeln!(s, "\n--- kept").unwrap();
    for p in &c.paragraphs {
        writeln!(s, "{p}\n").unwrap();
    }
    writeln!(s, "--- removed").unwrap();
    for r in &c.removed {
        writeln!(s, "[{}] {}", r.rule, r.text.replace('\n', " / ")).unwrap();
    }
    s
}

#[test]
fn snapshots_of_html_fixtures() {
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::glob!("fixtures/html/*.html", |path| {
            insta::assert_snapshot!(render(&clean(path)));
        });
    });
}

#[test]
fn news_page_keeps_the_story_and_drops_its_furniture() {
    let c = fixture("news_furniture.html");
    let text = &c.text;
    // The story, its subheading, list and block quote.
    for kept in [
        "The island ferry will sail",
        "Islanders divided",
        "Six extra crossings",
        "We cannot run a service",
        "review the timetable again",
    ] {
        assert!(text.contains(kept), "lost {kept:?}");
    }
    // Caption, ad slot, newsletter box, cookie banner, share bar, related links, footer, navigation.
    for gone in [
        "Photo: Harbour Gazette",
        "Advertisement",
        "Sign up for our free newsletter",
        "We use cookies",
        "Share on Facebook",
        "Harbour wall repairs",
        "All rights reserved",
        "Weather",
    ] {
        assert!(!text.contains(gone), "kept {gone:?}");
    }
    assert_eq!(c.metadata.title.as_deref(), Some("Ferry timetable rewritten after storm season"));
    assert_eq!(c.metadata.author.as_deref(), Some("Mira Okonkwo"));
    assert_eq!(c.metadata.date.as_deref(), Some("2024-02-11T09:30:00Z"));
    assert_eq!(c.metadata.site_name.as_deref(), Some("The Harbour Gazette"));
    assert_eq!(c.metadata.url.as_deref(), Some("https://gazette.example/news/ferry-timetable"));
    assert_eq!(c.metadata.language.as_deref(), Some("en"));
}

#[test]
fn legacy_charset_page_is_decoded_by_its_meta() {
    let c = fixture("legacy_windows1252.html");
    assert!(c.text.contains("place de l’église"), "{}", c.text);
    assert!(c.text.contains("« Nous voulions garder la date – le premier samedi"));
    assert!(!c.text.contains('\u{FFFD}'));
    assert!(!c.text.contains("Agenda"));
    assert_eq!(c.metadata.language.as_deref(), Some("fr"));
}

#[test]
fn table_layout_without_article_element_finds_the_text() {
    let c = fixture("no_article.html");
    assert_eq!(
        c.paragraphs.iter().filter(|p| p.contains("allotment") || p.contains("plots") || p.contains("council")).count(),
        3
    );
    for gone in ["Archive", "Bus station to close", "Advertise"] {
        assert!(!c.text.contains(gone), "kept {gone:?}");
    }
}

#[test]
fn malformed_markup_loses_no_paragraph() {
    let c = fixture("malformed.html");
    assert_eq!(c.paragraphs.len(), 5, "{:?}", c.paragraphs);
    assert!(!c.text.contains("not text"));
}

#[test]
fn text_input_is_not_touched_by_the_html_stage() {
    let c = Cleaner::new().clean_bytes(b"The mayor resigned on Monday.\n\nShe will stay until May.").unwrap();
    assert!(c.blocks.iter().all(|(b, _)| b.dom.is_none()));
    assert_eq!(c.text, "The mayor resigned on Monday.\n\nShe will stay until May.\n");
}

#[test]
fn standfirst_beside_the_main_container_comes_back_but_not_the_headline() {
    let para = "<p>The committee said on Friday that it would meet again in the spring, and that the report, which has been delayed twice, would be published before the summer.</p>";
    let page = format!(
        "<html><body><nav><a href=/>Home</a> <a href=/n>News</a></nav>\
         <div class=top><h1>Report delayed again</h1><p>Members of the committee are not happy with the pace of the work, and they said so in a letter to the chair.</p></div>\
         <div class=story>{para}{para}{para}</div>\
         <div class=more><a href=/x>Other story one</a> <a href=/y>Other story two</a></div></body></html>"
    );
    let c = Cleaner::new().clean_bytes(page.as_bytes()).unwrap();
    assert!(c.text.starts_with("Members of the committee are not happy"), "{}", c.text);
    assert!(!c.text.contains("Report delayed again"));
    assert!(!c.text.contains("Other story"));
    assert!(!c.text.contains("Home"));
}

#[test]
fn poor_main_container_falls_back_to_the_prose_of_the_whole_page() {
    // A small box with an article-body class name outvotes the story; what it
    // yields is short, so the page is read again without a main container.
    let c = fixture("fallback_small_box.html");
    for kept in [
        "Valley orchards count the cost",
        "lost about a third",
        "Insurance questions",
        "We will know the real damage",
        "lighter losses",
    ] {
        assert!(c.text.contains(kept), "lost {kept:?}");
    }
    for gone in ["Become a member", "office hours", "Hail damages", "Copyright", "About us"] {
        assert!(!c.text.contains(gone), "kept {gone:?}");
    }
    assert!(c.removed.iter().any(|r| r.rule == "dom.outside-prose"));
}

#[test]
fn fallback_does_not_trade_a_short_story_for_its_comments() {
    let c = fixture("fallback_comments_stay_out.html");
    assert!(c.text.contains("will open on Sunday afternoons"), "{}", c.text);
    for gone in ["wonderful news", "every Sunday during the trial", "staff deserve thanks"] {
        assert!(!c.text.contains(gone), "kept {gone:?}");
    }
}

#[test]
fn page_with_server_warnings_before_the_doctype_is_read_as_html() {
    let page = "<br />\n<b>Warning</b>: cannot connect in <b>/www/site/db.php</b> on line <b>12</b><br />\n\
                <!DOCTYPE html><html><body><nav><a href=/>Home</a> <a href=/n>News</a></nav>\
                <article><p>The new bus line will connect the station with the hospital from March, the transport office said on Monday.</p></article></body></html>";
    let c = Cleaner::new().clean_bytes(page.as_bytes()).unwrap();
    assert!(c.blocks.iter().all(|(b, _)| b.dom.is_some()));
    assert_eq!(c.text, "The new bus line will connect the station with the hospital from March, the transport office said on Monday.\n");
}

#[test]
fn standfirst_in_the_article_header_is_kept_but_not_its_furniture() {
    let c = fixture("article_standfirst.html");
    assert!(c.text.starts_with("Sleeper services between the capital"), "{}", c.text);
    assert!(c.text.contains("failed a safety inspection"));
    for gone in [
        "Night trains return",
        "By Tomas Reyes",
        "12 March 2025",
        "sleeper carriage waits",
        "More travel",
        "Ferry fares",
    ] {
        assert!(!c.text.contains(gone), "kept {gone:?}");
    }
    assert!(c.blocks.iter().any(|(_, v)| v.label() == "dom.article-lead"));
}

#[test]
fn standfirst_between_the_title_and_the_body_comes_back_past_the_furniture() {
    let c = fixture("lead_after_title.html");
    assert!(c.text.starts_with("For the first time in forty years"), "{}", c.text);
    assert!(c.text.contains("as it did in the cold winters of the past"));
    for gone in [
        "River ferry to run",
        "14 November 2024",
        "Ana Lind",
        "Share",
        "leaves the north landing",
        "Most read",
        "School roof",
    ] {
        assert!(!c.text.contains(gone), "kept {gone:?}");
    }
    assert!(c.blocks.iter().any(|(_, v)| v.label() == "dom.lead-after-title"));
}

#[test]
fn embeds_anchored_sections_and_teaser_leads_stay_but_share_bars_do_not() {
    let c = fixture("embeds_and_section_anchors.html");
    for kept in [
        "Three families on one street",
        "Sharing with a single neighbour",
        "where most arrangements between neighbours go wrong",
        "Sharing with the whole street",
        "Our street workshop turned six today",
        "talk to each other far more",
    ] {
        assert!(c.text.contains(kept), "lost {kept:?}");
    }
    for gone in ["Share on Facebook", "shared garden in the old school yard", "Copyright"] {
        assert!(!c.text.contains(gone), "kept {gone:?}");
    }
}

#[test]
fn streamed_story_in_a_hidden_segment_is_revealed() {
    // React 18 streaming: the story arrives in `<div hidden id="S:0">` and a
    // script swaps it in for the placeholder; the visible page has no prose.
    let c = fixture("streaming_hidden_story.html");
    assert!(c.text.starts_with("Tidal mill grinds flour again"), "{}", c.text);
    assert!(c.text.contains("volunteers spent six winters"));
    assert!(c.text.contains("small gifts from locals."));
    assert!(!c.text.contains("Loading"));
    assert!(!c.removed.iter().any(|r| r.rule == "dom.hidden"), "{:?}", c.removed);
}

#[test]
fn hidden_boxes_stay_dropped_when_the_visible_page_has_its_story() {
    let c = fixture("hidden_modal_stays_hidden.html");
    assert!(c.text.contains("four times a day instead of seven"));
    assert!(c.text.contains("regional transport office."));
    for gone in ["Become a member", "Members help us", "It takes a minute", "use cookies", "decorative line"] {
        assert!(!c.text.contains(gone), "{gone}: {}", c.text);
    }
    assert!(c.removed.iter().filter(|r| r.rule == "dom.hidden").count() >= 4, "{:?}", c.removed);
}

#[test]
fn story_cut_into_sections_is_kept_whole_when_a_list_of_sources_wins_the_vote() {
    // Each part of the story sits in its own box; a comma-heavy list of
    // sources outvotes every part. The container gives way to the ancestor
    // that holds the story's prose.
    let c = fixture("story_split_into_sections.html");
    let text = c.text.as_str();
    for part in
        ["The small passenger ferry", "A doctor from the mainland", "The harbour board said", "Cyclists will again"]
    {
        assert!(text.contains(part), "lost {part:?}:\n{text}");
    }
    assert!(text.contains("A longer season"), "subheading lost");
    assert!(!text.contains("Home Local"), "menu kept");
    assert!(!text.contains("All rights reserved"), "footer kept");
}

#[test]
fn comments_beside_a_short_story_do_not_widen_the_container() {
    // The comment thread holds more prose than the story, but comments do
    // not count as the story's prose: the container stays the story's box.
    let c = fixture("comments_beside_a_short_story.html");
    assert!(c.text.contains("The small passenger ferry") && c.text.contains("A doctor from the mainland"));
    assert!(!c.text.contains("I took this ferry"), "comments kept:\n{}", c.text);
}

/// A story page whose paragraphs sit inside `open`, built in the test.
fn story_page(open: &str) -> String {
    let story = [
        "The ferry from the island will run every hour from June, the harbour board decided on Tuesday evening.",
        "Residents had asked for a later last crossing for years, and the board agreed to one at eleven at night.",
        "A second boat, now being refitted at the yard in the north basin, will take over on Sundays in winter.",
    ];
    let paragraphs: String = story.iter().map(|s| format!("<p>{s}</p>")).collect();
    format!("<!doctype html><html><head><title>Ferry</title></head><body>{open}<article>{paragraphs}</article></body></html>")
}

#[test]
fn hostile_wide_tags_and_open_formatting_keep_the_story() {
    // 100,000 attributes on one tag (24 s before the cap), and 100,000
    // formatting elements left open with distinct attributes.
    let wide = format!("<div {}>", (0..100_000).map(|i| format!("a{i}")).collect::<Vec<_>>().join(" "));
    let open: String = (0..100_000).map(|i| format!("<b id={i}>")).collect();
    let reopened: String = (0..20_000).map(|i| format!("<div><font size={i}>.</div>")).collect();
    for hostile in [wide, open, reopened] {
        let c = Cleaner::new().clean_html_bytes(story_page(&hostile).as_bytes());
        assert!(c.text.starts_with("The ferry from the island"), "{}", &c.text[..c.text.len().min(200)]);
        assert!(c.text.contains("take over on Sundays in winter."), "{}", c.text);
    }
}

#[test]
fn link_list_between_story_paragraphs_stays_but_teaser_lists_do_not() {
    // A list of the story's documents sits between its paragraphs: kept.
    // The list of other stories after the last paragraph, and a single
    // "Read more" link line between paragraphs, are dropped.
    let c = fixture("link_list_between_prose.html");
    let text = c.text.as_str();
    assert!(text.contains("Engineer's survey of the sluice gates\nCouncil minutes"), "document list lost:\n{text}");
    assert!(text.contains("The village council") && text.contains("guided tours on weekday mornings"));
    let rule = |needle: &str| removed_by(&c, needle);
    assert_eq!(rule("Harbour wall repairs"), Some("dom.link-list"), "trailing teaser list kept:\n{text}");
    assert_eq!(rule("Read more: Ferry timetable"), Some("dom.link-list"), "link line kept:\n{text}");
}

#[test]
fn story_parts_seven_boxes_deep_are_kept_whole() {
    // The same story cut into sections, each part in a stack of boxes seven
    // levels below the column that holds them all; the list of sources wins
    // the vote. The container gives way to the column (eight levels are
    // looked at; the six of before stopped short and kept the list alone).
    let c = fixture("story_parts_deep_in_builder_boxes.html");
    let text = c.text.as_str();
    for part in
        ["The small passenger ferry", "A doctor from the mainland", "The harbour board said", "Cyclists will again"]
    {
        assert!(text.contains(part), "lost {part:?}:\n{text}");
    }
    assert!(!text.contains("Home Local"), "menu kept");
    assert!(!text.contains("All rights reserved"), "footer kept");
}

/// Every block's text, kept or dropped, in order.
fn block_texts(page: &str) -> Vec<String> {
    Cleaner::new().clean_html_bytes(page.as_bytes()).blocks.iter().map(|(b, _)| b.text.clone()).collect()
}

#[test]
fn list_items_join_only_as_the_page_holds_them() {
    // Items of one list are one block. An item with no letter or digit (a
    // `|` between links) is no block of its own: inside a run it stays, so
    // that the block is text the page holds in one piece; ending the run it
    // is left out.
    let with_bars = "<body><ul><li>Tide tables</li><li>|</li><li>Ferry fares</li><li>|</li></ul></body>";
    assert_eq!(block_texts(with_bars), ["Tide tables\n|\nFerry fares"]);
    let plain = "<body><ul><li>Tide tables</li><li>Ferry fares</li><li>Harbour webcam</li></ul></body>";
    assert_eq!(block_texts(plain), ["Tide tables\nFerry fares\nHarbour webcam"]);
    // An empty item holds no text at all: the run goes on across it.
    let empty = "<body><ul><li>Tide tables</li><li></li><li>Harbour webcam</li></ul></body>";
    assert_eq!(block_texts(empty), ["Tide tables\nHarbour webcam"]);
    // A lone `|` item is no block, nor is a list of them.
    assert!(block_texts("<body><ul><li>|</li><li>&raquo;</li></ul></body>").is_empty());
    // One item cut in two by a stray `</p>`, with `-->` text between the halves.
    let cut = "<ul><li>The gate opens at dawn.</p>--><br><br>The gate shuts at dusk.";
    assert_eq!(block_texts(cut), ["The gate opens at dawn.\n-->\nThe gate shuts at dusk."]);
    // Another list's items, or a paragraph, end the run as before.
    let two = "<body><ul><li>Tide tables</li></ul><p>Timetables change in May.</p><ul><li>Ferry fares</li></ul></body>";
    assert_eq!(block_texts(two), ["Tide tables", "Timetables change in May.", "Ferry fares"]);
}

#[test]
fn a_table_in_a_figure_is_content_but_captions_and_calls_to_action_are_not() {
    // Editors wrap a data table in a `<figure>`: its cells stay, its
    // caption and the picture's caption go. A box whose class names a call
    // to action (`cta-box`) inside the story goes too.
    let c = fixture("figure_table_and_cta.html");
    let text = c.text.as_str();
    for kept in ["Quarter plot", "125 m²", "£55", "Rent per year", "Water comes from four tanks", "leave it dug over"]
    {
        assert!(text.contains(kept), "lost {kept:?}:\n{text}");
    }
    let rule = |needle: &str| removed_by(&c, needle);
    assert_eq!(rule("Rents set at the annual meeting"), Some("dom.figure"), "table caption kept:\n{text}");
    assert_eq!(rule("The new tool shed"), Some("dom.figure"), "picture caption kept:\n{text}");
    assert_eq!(rule("Join the waiting list today"), Some("dom.furniture-class"), "call to action kept:\n{text}");
}

#[test]
fn a_linked_heading_that_opens_a_part_of_the_story_stays() {
    // A listicle names each item by a link to it; the heading is kept when
    // story prose comes before it and a sentence right after it. Linked
    // headings with no sentence after them (a run of teasers) stay dropped.
    let c = fixture("linked_headings_in_a_listicle.html");
    let text = c.text.as_str();
    assert!(text.contains("Moorland Shell\n\nThe lightest of the four"), "{text}");
    assert!(text.contains("Bracken Pro\n\nThis one is heavy"), "{text}");
    assert!(text.contains("How we tested"), "{text}");
    let rule = |needle: &str| removed_by(&c, needle);
    for gone in ["Fell Runner", "Heather Lite", "Best boots for wet ground"] {
        assert_eq!(rule(gone), Some("dom.link-list"), "{gone} kept:\n{text}");
    }
    assert!(c.blocks.iter().any(|(_, v)| v.label() == "dom.heading-in-prose"));
}

#[test]
fn what_a_desktop_screen_shows_is_kept_and_what_it_hides_is_dropped() {
    // Utility classes of Tailwind, Bootstrap, Elementor and Webflow decide
    // what a desktop reader sees; a bare `hidden` (a closed accordion) is
    // left to the class lists as before.
    let c = fixture("responsive_visibility.html");
    let text = c.text.as_str();
    for kept in [
        "Night buses will run again",
        "The new timetable adds four",   // hidden md:block
        "Shift workers at the hospital", // d-none d-lg-block
        "The board will pay",            // elementor-hidden-mobile
        "Tickets bought for the day",
    ] {
        assert!(text.contains(kept), "lost {kept:?}:\n{text}");
    }
    for gone in ["Get our app", "Tap here to open", "Swipe left", "This box would list"] {
        assert_eq!(removed_by(&c, gone), Some("dom.hidden"), "{gone}: {:?}", c.removed);
    }
    assert!(!text.contains("This closed panel"), "{text}");
}
