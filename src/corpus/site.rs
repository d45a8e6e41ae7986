//! Which site a document belongs to: the host of its URL (lower case, without
//! `www.` and port), or, for a file, the name of the folder it sits in. A
//! profile is learnt and applied per site.

use std::path::Path;

/// The host of `url`, lower-cased, without user info, port or a leading
/// `www.`. `None` when there is no host.
pub fn site_of_url(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = match url.find("://") {
        Some(i) => &url[i + 3..],
        None => url.strip_prefix("//").unwrap_or(url),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        match host_port.rsplit_once(':') {
            Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
            _ => host_port,
        }
    };
    let host = host.trim_end_matches('.').to_lowercase();
    let host = host.strip_prefix("www.").map(str::to_owned).unwrap_or(host);
    (!host.is_empty() && !host.contains(char::is_whitespace)).then_some(host)
}

/// The site of a file: the name of its parent folder (`corpus/valley/a.txt`
/// belongs to `valley`).
pub fn site_of_path(path: &Path) -> Option<String> {
    let parent = path.parent()?.file_name()?.to_str()?;
    (!parent.is_empty()).then(|| parent.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_from_urls() {
        assert_eq!(site_of_url("https://www.Example.org:8080/a/b?c#d").as_deref(), Some("example.org"));
        assert_eq!(site_of_url("http://user:pw@news.example.dk/x").as_deref(), Some("news.example.dk"));
        assert_eq!(site_of_url("example.nl/artikel/1").as_deref(), Some("example.nl"));
        assert_eq!(site_of_url("//cdn.example.com/x").as_deref(), Some("cdn.example.com"));
        assert_eq!(site_of_url("http://[::1]:80/").as_deref(), Some("::1"));
        assert_eq!(site_of_url(""), None);
        assert_eq!(site_of_url("https:///path"), None);
    }

    #[test]
    fn sites_from_paths() {
        assert_eq!(site_of_path(Path::new("corpus/Valley/a.txt")).as_deref(), Some("valley"));
        assert_eq!(site_of_path(Path::new("a.txt")), None);
    }
}
