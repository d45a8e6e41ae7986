//! One JSON Lines record: `{"id"?, "url"?, "text"? | "html"?, ...}`.
//!
//! A record is kept as its list of `(key, raw JSON value)` pairs, so that it
//! can be written back with every field it had, in its order and with its
//! exact value text (`1.0` stays `1.0`), and the fields newsclean adds
//! appended at the end:
//!
//! - `clean_text`: the article, paragraphs joined by a blank line, ending in a
//!   newline (empty when nothing was kept);
//! - `removed`: the removed blocks, `[{index, line, text, rule, kind}]`;
//! - `metadata`: what the metadata lines said (`{language, date, source, …}`);
//! - `error`: instead of the three above, when the record could not be
//!   cleaned (no text field, a field that is not a string, a size limit).
//!
//! An input field with one of these names is replaced.

use crate::output::Cleaned;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

/// The fields a cleaned record gains.
pub const ADDED_FIELDS: [&str; 4] = ["clean_text", "removed", "metadata", "error"];

/// Which fields of a record hold what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordOptions {
    /// Field with plain text (default `text`); used when present.
    pub text_field: String,
    /// Field with raw HTML (default `html`); used when there is no text field.
    pub html_field: String,
    /// Field with the page's URL (default `url`), whose host is the site.
    pub url_field: String,
}

impl Default for RecordOptions {
    fn default() -> Self {
        RecordOptions { text_field: "text".into(), html_field: "html".into(), url_field: "url".into() }
    }
}

/// The document a record carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Text(String),
    Html(String),
}

/// A parsed record.
#[derive(Debug)]
pub struct Record {
    fields: Vec<(String, Box<RawValue>)>,
}

struct Fields;

impl<'de> Visitor<'de> for Fields {
    type Value = Vec<(String, Box<RawValue>)>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(map.size_hint().unwrap_or(4));
        while let Some((k, v)) = map.next_entry::<String, Box<RawValue>>()? {
            out.push((k, v));
        }
        Ok(out)
    }
}

impl Record {
    /// Parse one line. The error message says what is wrong, without the
    /// file and line, which the caller knows.
    pub fn parse(line: &str) -> Result<Record, String> {
        let mut de = serde_json::Deserializer::from_str(line);
        let fields = de.deserialize_map(Fields).map_err(|e| format!("invalid JSON record: {e}"))?;
        de.end().map_err(|e| format!("invalid JSON record: {e}"))?;
        Ok(Record { fields })
    }

    /// A record made of string fields, for documents that do not come as
    /// JSON (WARC records); fields whose value is `None` are left out.
    pub fn from_strings<'a>(fields: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> Record {
        let fields = fields
            .into_iter()
            .filter_map(|(k, v)| {
                Some((k.to_owned(), serde_json::value::to_raw_value(v?).expect("a string serialises")))
            })
            .collect();
        Record { fields }
    }

    fn raw(&self, key: &str) -> Option<&RawValue> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| &**v)
    }

    /// A string field; `Ok(None)` when absent or null, an error when it holds
    /// something else.
    pub fn string(&self, key: &str) -> Result<Option<String>, String> {
        match self.raw(key) {
            None => Ok(None),
            Some(v) if v.get() == "null" => Ok(None),
            Some(v) => {
                serde_json::from_str::<String>(v.get()).map(Some).map_err(|_| format!("field `{key}` is not a string"))
            }
        }
    }

    /// The raw JSON text of a field (for an `id` in an error record).
    pub fn raw_field(&self, key: &str) -> Option<&str> {
        self.raw(key).map(RawValue::get)
    }

    /// The text or HTML the record carries.
    pub fn body(&self, o: &RecordOptions) -> Result<Body, String> {
        if let Some(t) = self.string(&o.text_field)? {
            return Ok(Body::Text(t));
        }
        if let Some(h) = self.string(&o.html_field)? {
            return Ok(Body::Html(h));
        }
        Err(format!("record has neither a `{}` nor an `{}` field", o.text_field, o.html_field))
    }

    /// The site of the record, from its URL field.
    pub fn site(&self, o: &RecordOptions) -> Option<String> {
        self.string(&o.url_field).ok().flatten().and_then(|u| super::site_of_url(&u))
    }

    fn write_fields(&self, out: &mut Vec<u8>) -> bool {
        out.push(b'{');
        let mut any = false;
        for (k, v) in &self.fields {
            if ADDED_FIELDS.contains(&k.as_str()) {
                continue;
            }
            if any {
                out.push(b',');
            }
            serde_json::to_writer(&mut *out, k).expect("a string serialises");
            out.push(b':');
            out.extend_from_slice(v.get().as_bytes());
            any = true;
        }
        any
    }

    /// Append the record with the cleaning result, one line with `\n`.
    pub fn write_cleaned(&self, c: &Cleaned, out: &mut Vec<u8>) {
        if self.write_fields(out) {
            out.push(b',');
        }
        out.extend_from_slice(b"\"clean_text\":");
        serde_json::to_writer(&mut *out, &c.text).expect("a string serialises");
        out.extend_from_slice(b",\"removed\":");
        serde_json::to_writer(&mut *out, &c.removed).expect("removed blocks serialise");
        out.extend_from_slice(b",\"metadata\":");
        serde_json::to_writer(&mut *out, &c.metadata).expect("metadata serialises");
        out.extend_from_slice(b"}\n");
    }

    /// Append the record with an `error` field, one line with `\n`.
    pub fn write_error(&self, message: &str, out: &mut Vec<u8>) {
        if self.write_fields(out) {
            out.push(b',');
        }
        out.extend_from_slice(b"\"error\":");
        serde_json::to_writer(&mut *out, message).expect("a string serialises");
        out.extend_from_slice(b"}\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Cleaner;

    #[test]
    fn keeps_fields_order_and_value_text() {
        let r = Record::parse(r#"{"z":1.0, "id":"x", "text":"Advertisement\n\nThe mayor spoke.", "nested":{"b":[1, 2]},"clean_text":"old"}"#).unwrap();
        let c = Cleaner::new().clean_text(&r.string("text").unwrap().unwrap());
        let mut out = Vec::new();
        r.write_cleaned(&c, &mut out);
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with(r#"{"z":1.0,"id":"x","text":"Advertisement\n\nThe mayor spoke.","nested":{"b":[1, 2]},"clean_text":"The mayor spoke.\n","removed":[{"index":0,"#), "{s}");
        assert_eq!(s.matches("clean_text").count(), 1);
        assert!(s.ends_with("}\n") && !s[..s.len() - 1].contains('\n'));
    }

    #[test]
    fn bodies_and_errors() {
        let o = RecordOptions::default();
        assert_eq!(Record::parse(r#"{"html":"<p>x</p>"}"#).unwrap().body(&o), Ok(Body::Html("<p>x</p>".into())));
        assert!(Record::parse(r#"{"text":3}"#).unwrap().body(&o).unwrap_err().contains("not a string"));
        assert!(Record::parse(r#"{"id":1}"#).unwrap().body(&o).unwrap_err().contains("neither"));
        assert!(Record::parse(r#"[1]"#).is_err());
        assert!(Record::parse(r#"{"a":1} x"#).is_err());
        assert!(Record::parse(r#"{"a":"#).is_err());
        let mut out = Vec::new();
        Record::parse("{}").unwrap().write_error("no text", &mut out);
        assert_eq!(out, b"{\"error\":\"no text\"}\n");
    }

    #[test]
    fn records_from_strings() {
        let r = Record::from_strings([("url", Some("https://a.example/\"q\"")), ("date", None), ("id", Some("7"))]);
        let mut out = Vec::new();
        r.write_error("x", &mut out);
        assert_eq!(out, b"{\"url\":\"https://a.example/\\\"q\\\"\",\"id\":\"7\",\"error\":\"x\"}\n");
    }

    #[test]
    fn site_from_url_field() {
        let r = Record::parse(r#"{"url":"https://www.valley.example/news/1"}"#).unwrap();
        assert_eq!(r.site(&RecordOptions::default()).as_deref(), Some("valley.example"));
    }
}
