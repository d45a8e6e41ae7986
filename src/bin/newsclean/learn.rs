//! `newsclean learn` and the profile side of cleaning: learning site
//! templates from a corpus (JSON Lines or folders of files, in parallel),
//! loading `--profile`, and `--auto-profile` (learn over the inputs, then
//! clean them).

use crate::args::CleanArgs;
use crate::corpus_args::{FieldArgs, LearnArgs, RunArgs, Thresholds};
use crate::inputs::{self, Input};
use crate::jsonl::{self, Ctx, ErrorSink};
use crate::stream::{self, Item, Source};
use crate::warc;
use anyhow::{Context, Result};
use newsclean::corpus::{site_of_path, site_of_url, DocLines, Learner, Profile};
use newsclean::{batch, Cleaner};
use std::path::{Path, PathBuf};

/// Files per parallel batch in folder mode.
const FILE_CHUNK: usize = 512;

/// Does this path hold JSON Lines?
fn is_jsonl(path: &Path, forced: bool) -> bool {
    forced
        || path.as_os_str() == "-"
        || inputs::without_compression(path)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"))
}

/// A document's site and lines; `None` when it has no site.
type Learnt = Option<(String, DocLines)>;

/// What a learning pass needs.
struct Pass<'a> {
    cleaner: &'a Cleaner,
    fields: &'a FieldArgs,
    run: &'a RunArgs,
    lossy: bool,
    max_size: usize,
    /// Report bad lines (off when the cleaning pass after will report them).
    report: bool,
}

/// Count JSON Lines records into `learner`. Returns (records without a
/// site, whether every line parsed).
fn learn_jsonl(p: &Pass, sources: &[Source], learner: &mut Learner) -> Result<(u64, bool)> {
    let pool = stream::pool(p.run.jobs)?;
    let pb = stream::progress(Source::total_size(sources), p.run.quiet);
    let mut errors = ErrorSink::new(None, pb.clone())?;
    let ctx =
        Ctx { cleaner: p.cleaner, profile: None, fields: p.fields.options(), lossy: p.lossy, max_size: p.max_size };
    let names: Vec<String> = sources.iter().map(Source::name).collect();
    let mut siteless = 0;
    stream::for_each_chunk(sources, |chunk| {
        let done: Vec<Option<Result<Learnt, String>>> = batch::map_ordered(&pool, &chunk.items, |item| match item {
            Item::SourceError { .. } => None,
            Item::Line { .. } => Some(jsonl::parse_line(chunk.bytes(item), ctx.lossy).and_then(|rec| {
                let Some(site) = rec.site(&ctx.fields) else {
                    return Ok(None);
                };
                let c = jsonl::clean_record(&ctx, &rec)?;
                Ok(Some((site, DocLines::from_cleaned(&c))))
            })),
        });
        for (item, r) in chunk.items.iter().zip(done) {
            match (item, r) {
                (Item::SourceError { src, no, message }, _) if p.report => {
                    errors.report(&names[*src], *no, None, message)?
                }
                (Item::SourceError { .. }, _) => {}
                (Item::Line { range, .. }, Some(Ok(Some((site, lines))))) => {
                    pb.inc(range.len() as u64);
                    learner.add(&site, lines);
                }
                (Item::Line { range, .. }, Some(Ok(None))) => {
                    pb.inc(range.len() as u64);
                    siteless += 1;
                }
                (Item::Line { src, no, range }, Some(Err(message))) => {
                    pb.inc(range.len() as u64);
                    if p.report {
                        errors.report(&names[*src], *no, None, &message)?;
                    }
                }
                (Item::Line { .. }, None) => unreachable!("every line has a result"),
            }
        }
        pb.set_message(format!("{} docs", learner.docs()));
        Ok(())
    })?;
    pb.finish_and_clear();
    Ok((siteless, errors.count == 0))
}

/// Count files (site = parent folder) into `learner`.
fn learn_files(p: &Pass, files: &[Input], learner: &mut Learner) -> Result<bool> {
    let pool = stream::pool(p.run.jobs)?;
    let pb = stream::progress(stream::files_size(files), p.run.quiet);
    let mut ok = true;
    let learn_one = |input: &Input| -> Result<Learnt> {
        let Input::File { path, .. } = input else {
            return Ok(None);
        };
        let Some(site) = site_of_path(path) else {
            return Ok(None);
        };
        let c = p.cleaner.clean_bytes(&input.read(p.max_size)?)?;
        Ok(Some((site, DocLines::from_cleaned(&c))))
    };
    for (chunk, done) in batch::chunked(&pool, files, FILE_CHUNK, learn_one) {
        for (input, r) in chunk.iter().zip(done) {
            pb.inc(stream::file_size(input));
            match r {
                Ok(Some((site, lines))) => learner.add(&site, lines),
                Ok(None) => {}
                Err(e) => {
                    ok = false;
                    if p.report {
                        pb.suspend(|| eprintln!("newsclean: {}: {e:#}", input.display()));
                    }
                }
            }
        }
        pb.set_message(format!("{} docs", learner.docs()));
    }
    pb.finish_and_clear();
    Ok(ok)
}

/// Count the documents of WARC, WET and ARC files (site = host of the
/// record's URL) into `learner`. Returns (documents without a site, whether
/// every record was read).
fn learn_archives(p: &Pass, paths: &[PathBuf], learner: &mut Learner) -> Result<(u64, bool)> {
    let pool = stream::pool(p.run.jobs)?;
    let pb = stream::progress(None, p.run.quiet);
    let mut siteless = 0;
    let mut ok = true;
    warc::for_each_chunk(paths, p.max_size, |chunk| {
        let done: Vec<Option<Learnt>> = batch::map_ordered(&pool, &chunk, |item| {
            let warc::Item::Record { rec, .. } = item else { return None };
            match warc::clean(p.cleaner, None, p.max_size, rec) {
                warc::Outcome::Cleaned(c) => {
                    Some(rec.url().and_then(site_of_url).map(|s| (s, DocLines::from_cleaned(&c))))
                }
                _ => None,
            }
        });
        for (item, r) in chunk.iter().zip(done) {
            match (item, r) {
                (warc::Item::Problem { src, message }, _) => {
                    ok = false;
                    if p.report {
                        pb.suspend(|| eprintln!("newsclean: {}: {message}", paths[*src].display()));
                    }
                }
                (_, Some(Some((site, lines)))) => learner.add(&site, lines),
                (_, Some(None)) => siteless += 1,
                _ => {}
            }
        }
        pb.set_message(format!("{} docs", learner.docs()));
        Ok(())
    })?;
    pb.finish_and_clear();
    Ok((siteless, ok))
}

/// Learn a profile from `paths` (JSON Lines files, WARC/WET/ARC files and
/// folders of documents).
fn learn_paths(p: &Pass, paths: &[PathBuf], force_jsonl: bool, th: &Thresholds) -> Result<(Profile, bool)> {
    let mut learner = Learner::new(th.options());
    let (archives, paths): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.iter().cloned().partition(|p| !force_jsonl && warc::is_archive(p));
    let (jl, docs): (Vec<&PathBuf>, Vec<&PathBuf>) =
        paths.iter().partition(|p| !p.is_dir() && is_jsonl(p, force_jsonl));
    let mut ok = true;
    let mut siteless = 0;
    if !archives.is_empty() {
        let (s, o) = learn_archives(p, &archives, &mut learner)?;
        siteless += s;
        ok &= o;
    }
    if !jl.is_empty() {
        let sources: Vec<Source> = Source::from_paths(&jl.into_iter().cloned().collect::<Vec<_>>());
        let (s, o) = learn_jsonl(p, &sources, &mut learner)?;
        siteless += s;
        ok &= o;
    }
    if !docs.is_empty() {
        let files = inputs::collect(&docs.into_iter().cloned().collect::<Vec<_>>(), p.run.follow)?;
        ok &= learn_files(p, &files, &mut learner)?;
    }
    if siteless > 0 && !p.run.quiet {
        eprintln!("newsclean: {siteless} records had no `{}` field with a host; not learnt from", p.fields.url_field);
    }
    Ok((learner.finish(p.cleaner.rules().stopwords()), ok))
}

/// `newsclean learn CORPUS... -o profile.json`.
pub fn run_learn(a: &LearnArgs) -> Result<bool> {
    // Files are read as cleaning reads them (encoding detected), so that
    // the lines learnt from a Latin-1 site match when it is cleaned.
    let cleaner = Cleaner::new();
    let pass = Pass {
        cleaner: &cleaner,
        fields: &a.fields,
        run: &a.run,
        lossy: true,
        max_size: newsclean::DEFAULT_MAX_SIZE,
        report: true,
    };
    let (profile, ok) = learn_paths(&pass, &a.paths, a.jsonl, &a.thresholds)?;
    std::fs::write(&a.output, profile.to_json())
        .with_context(|| format!("{}: cannot write profile", a.output.display()))?;
    if !a.run.quiet {
        let d = profile.data();
        let lines: usize = d.sites.values().map(|s| s.lines.len()).sum();
        let kept: usize = d.sites.values().map(|s| s.protected.len()).sum();
        eprintln!(
            "newsclean: {lines} template lines for {} sites ({kept} recurring prose lines protected) written to {}",
            d.sites.len(),
            a.output.display()
        );
    }
    Ok(ok)
}

/// Removes a spooled copy of standard input when dropped.
struct Spool(PathBuf);

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Cleaning with profiles: load `--profile` or learn one (`--auto-profile`),
/// then clean the JSON Lines or the files.
pub fn run_clean_corpus(a: &CleanArgs) -> Result<bool> {
    let cleaner = crate::build_cleaner(a)?;
    let c = &a.corpus;
    let mut paths = a.paths.clone();
    let mut _spool = None;
    if c.auto_profile && c.jsonl && (paths.is_empty() || paths.iter().any(|p| p.as_os_str() == "-")) {
        // Two passes need the input twice; standard input can be read once.
        let tmp = std::env::temp_dir().join(format!("newsclean-stdin-{}.jsonl", std::process::id()));
        let spool = Spool(tmp.clone());
        let mut f =
            std::fs::File::create(&tmp).with_context(|| format!("{}: cannot spool standard input", tmp.display()))?;
        std::io::copy(&mut std::io::stdin().lock(), &mut f).context("cannot read standard input")?;
        if paths.is_empty() {
            paths.push(tmp.clone());
        }
        for p in paths.iter_mut().filter(|p| p.as_os_str() == "-") {
            *p = tmp.clone();
        }
        _spool = Some(spool);
    }
    let mut ok = true;
    let profile = if let Some(path) = &c.profile {
        // The library error names the file and its cause; one line is enough.
        Some(Profile::load(path).map_err(|e| anyhow::anyhow!("cannot load profile: {e}"))?)
    } else if c.auto_profile {
        let pass = Pass {
            cleaner: &cleaner,
            fields: &c.fields,
            run: &c.run,
            lossy: a.lossy,
            max_size: a.max_size,
            report: false,
        };
        // Learning reports its failures; cleaning will report them again, so
        // only the cleaning pass decides the exit code.
        let (p, _) = learn_paths(&pass, &paths, c.jsonl, &c.thresholds)?;
        Some(p)
    } else {
        None
    };
    if c.jsonl {
        ok &= jsonl::run(a, &cleaner, profile.as_ref(), &Source::from_paths(&paths))?;
    } else {
        // Archives (by content) and other files, each run in turn, in order.
        let mut groups: Vec<(bool, Vec<PathBuf>)> = Vec::new();
        for p in &paths {
            let archive = warc::is_archive(p);
            match groups.last_mut() {
                Some((kind, group)) if *kind == archive => group.push(p.clone()),
                _ => groups.push((archive, vec![p.clone()])),
            }
        }
        if groups.is_empty() {
            ok &= crate::run_clean(a, &cleaner, profile.as_ref())?;
        }
        for (archive, group) in groups {
            if archive {
                ok &= warc::run(a, &cleaner, profile.as_ref(), &group)?;
            } else {
                let sub = CleanArgs { paths: group, ..a.clone() };
                ok &= crate::run_clean(&sub, &cleaner, profile.as_ref())?;
            }
        }
    }
    Ok(ok)
}
