//! Page metadata for [`Metadata`]: `<meta>` tags (Open Graph, `article:*`,
//! `name=author`, Dublin Core), JSON-LD (`NewsArticle` and kin), `<time
//! datetime>`, `<html lang>`, `<link rel=canonical>` and `<title>`. The walk
//! hands every element to [`Facts::element`]; [`Facts::into_metadata`] picks
//! each field from the most specific source that has it.

use super::dom::{Dom, Element, NodeId};
use crate::classify::Metadata;
use serde_json::Value;

/// What the page says about itself, gathered during the walk.
#[derive(Debug, Default, Clone)]
pub struct Facts {
    /// `(property or name, lower-cased; content)` of every `<meta>`.
    metas: Vec<(String, String)>,
    canonical: Option<String>,
    lang: Option<String>,
    title: Option<String>,
    time: Option<String>,
    jsonld: Vec<String>,
}

impl Facts {
    /// Look at one element of the page.
    pub fn element(&mut self, name: &str, el: &Element, dom: &Dom, node: NodeId) {
        match name {
            "meta" => {
                // Attributes come in hash order; the key is chosen by a fixed priority.
                const KEYS: [&str; 4] = ["property", "name", "itemprop", "http-equiv"];
                let key = KEYS.iter().find_map(|k| el.attr(k)).map(|v| v.trim().to_ascii_lowercase());
                let content = el.attr("content");
                if let (Some(k), Some(c)) = (key, content) {
                    if !c.trim().is_empty() && self.metas.len() < 200 {
                        self.metas.push((k, c.trim().to_owned()));
                    }
                }
            }
            "link"
                if self.canonical.is_none()
                    && el.attrs().any(|(a, v)| {
                        a == "rel" && v.split_ascii_whitespace().any(|r| r.eq_ignore_ascii_case("canonical"))
                    }) =>
            {
                self.canonical =
                    el.attrs().find(|(a, _)| *a == "href").map(|(_, v)| v.trim().to_owned()).filter(|v| !v.is_empty());
            }
            "html" if self.lang.is_none() => {
                self.lang = el
                    .attrs()
                    .find(|(a, _)| *a == "lang" || *a == "xml:lang")
                    .map(|(_, v)| v.trim().to_owned())
                    .filter(|v| !v.is_empty());
            }
            "title" if self.title.is_none() => {
                let t = crate::blocks::fold_spaces(&dom.text_of(node));
                self.title = (!t.is_empty()).then_some(t);
            }
            "time" if self.time.is_none() => {
                self.time = el
                    .attrs()
                    .find(|(a, _)| *a == "datetime")
                    .map(|(_, v)| v.trim().to_owned())
                    .filter(|v| !v.is_empty());
            }
            "script"
                if self.jsonld.len() < 20
                    && el.attrs().any(|(a, v)| a == "type" && v.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                self.jsonld.push(dom.text_of(node));
            }
            _ => {}
        }
    }

    fn meta(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|k| self.metas.iter().find(|(mk, _)| mk == k).map(|(_, v)| v.as_str()))
    }

    /// Resolve every field, most specific source first.
    pub fn into_metadata(self) -> Metadata {
        let ld = self
            .jsonld
            .iter()
            .filter_map(|s| serde_json::from_str::<Value>(s).ok())
            .find_map(|v| article_object(&v).cloned());
        let ld_str = |key: &str| ld.as_ref().and_then(|o| o.get(key)).and_then(name_of);
        let mut m = Metadata::default();
        let title = self
            .meta(&["og:title", "twitter:title"])
            .map(str::to_owned)
            .or_else(|| ld_str("headline"))
            .or(self.title.clone());
        m.set("title", &decode_entities(title.as_deref().unwrap_or("")));
        let date = self
            .meta(&[
                "article:published_time",
                "og:article:published_time",
                "datepublished",
                "date",
                "dc.date",
                "dc.date.issued",
                "dcterms.date",
                "pubdate",
                "publishdate",
                "sailthru.date",
                "parsely-pub-date",
            ])
            .map(str::to_owned)
            .or_else(|| ld_str("datePublished"))
            .or(self.time.clone());
        m.set("date", date.as_deref().unwrap_or(""));
        let author = self
            .meta(&["author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author"])
            .filter(|a| !a.starts_with("http"))
            .map(str::to_owned)
            .or_else(|| ld.as_ref().and_then(|o| o.get("author")).and_then(name_of));
        m.set("author", author.as_deref().unwrap_or(""));
        let site = self
            .meta(&["og:site_name", "application-name"])
            .map(str::to_owned)
            .or_else(|| ld.as_ref().and_then(|o| o.get("publisher")).and_then(name_of));
        m.set("site_name", site.as_deref().unwrap_or(""));
        let lang = self
            .lang
            .clone()
            .or_else(|| self.meta(&["content-language", "og:locale", "language", "dc.language"]).map(str::to_owned))
            .or_else(|| ld_str("inLanguage"));
        if let Some(l) = lang.as_deref().and_then(primary_language) {
            m.set("language", &l);
        }
        let url =
            self.canonical.clone().or_else(|| self.meta(&["og:url"]).map(str::to_owned)).or_else(|| ld_str("url"));
        m.set("url", url.as_deref().unwrap_or(""));
        m
    }
}

/// `en-US` → `en`; rejects values that are not a language tag.
pub fn primary_language(tag: &str) -> Option<String> {
    let p = tag.trim().split(['-', '_', ',', ';']).next()?.trim().to_ascii_lowercase();
    (p.len() >= 2 && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_lowercase())).then_some(p)
}

const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BlogPosting",
    "Report",
    "LiveBlogPosting",
    "TechArticle",
    "ScholarlyArticle",
];

/// The first article-typed object in a JSON-LD value (top level, list or `@graph`).
fn article_object(v: &Value) -> Option<&serde_json::Map<String, Value>> {
    match v {
        Value::Array(items) => items.iter().find_map(article_object),
        Value::Object(o) => {
            let typed = match o.get("@type") {
                Some(Value::String(t)) => ARTICLE_TYPES.contains(&t.as_str()),
                Some(Value::Array(ts)) => ts.iter().any(|t| t.as_str().is_some_and(|t| ARTICLE_TYPES.contains(&t))),
                _ => false,
            };
            if typed {
                Some(o)
            } else {
                o.get("@graph").and_then(article_object)
            }
        }
        _ => None,
    }
}

/// A string, or the `name` of an object, or of the first of a list.
fn name_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Object(o) => o.get("name").and_then(name_of),
        Value::Array(a) => {
            let names: Vec<String> = a.iter().filter_map(name_of).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}

/// JSON-LD and meta content sometimes carry entities a second time.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(html: &str) -> Metadata {
        let doc = super::super::parse::parse_document(html);
        let mut f = Facts::default();
        for e in doc.traverse(Dom::ROOT) {
            if let super::super::dom::Edge::Open(n) = e {
                if let Some(el) = doc.element(n) {
                    f.element(el.name(), el, &doc, n);
                }
            }
        }
        f.into_metadata()
    }

    #[test]
    fn reads_open_graph_and_link_tags() {
        let m = facts(
            r#"<html lang="nl-NL"><head><title>Page | Site</title>
            <meta property="og:title" content="The Harbour Plan">
            <meta property="og:site_name" content="Example Courier">
            <meta property="article:published_time" content="2024-03-05T08:00:00Z">
            <meta name="author" content="Jane Writer">
            <link rel="canonical" href="https://example.org/harbour"></head><body></body></html>"#,
        );
        assert_eq!(m.title.as_deref(), Some("The Harbour Plan"));
        assert_eq!(m.site_name.as_deref(), Some("Example Courier"));
        assert_eq!(m.date.as_deref(), Some("2024-03-05T08:00:00Z"));
        assert_eq!(m.author.as_deref(), Some("Jane Writer"));
        assert_eq!(m.url.as_deref(), Some("https://example.org/harbour"));
        assert_eq!(m.language.as_deref(), Some("nl"));
    }

    #[test]
    fn falls_back_to_json_ld_then_title_and_time() {
        let m = facts(
            r#"<html><head><title>Plain Title</title>
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"X"},
              {"@type":"NewsArticle","headline":"Graph Headline","datePublished":"2023-11-02",
               "author":[{"@type":"Person","name":"A. One"},{"@type":"Person","name":"B. Two"}],
               "publisher":{"@type":"Organization","name":"Daily Example"}}]}</script></head>
            <body><time datetime="2020-01-01">then</time></body></html>"#,
        );
        assert_eq!(m.title.as_deref(), Some("Graph Headline"));
        assert_eq!(m.date.as_deref(), Some("2023-11-02"));
        assert_eq!(m.author.as_deref(), Some("A. One, B. Two"));
        assert_eq!(m.site_name.as_deref(), Some("Daily Example"));
        let m = facts(
            "<html><head><title> Only   Title </title></head><body><time datetime='2020-01-01'>x</time></body></html>",
        );
        assert_eq!((m.title.as_deref(), m.date.as_deref()), (Some("Only Title"), Some("2020-01-01")));
    }

    #[test]
    fn ignores_broken_json_ld_and_url_authors() {
        let m = facts(
            r#"<head><script type="application/ld+json">{"@type": "NewsArticle", broken</script><meta property="article:author" content="https://example.org/staff/x"></head>"#,
        );
        assert_eq!(m.author, None);
        assert_eq!(primary_language("en_GB"), Some("en".into()));
        assert_eq!(primary_language("x"), None);
    }
}
