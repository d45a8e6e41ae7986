//! `newsclean._newsclean`: the Python bindings of the newsclean library.
//!
//! Glue only, as the binary is: it turns Python arguments into a
//! [`newsclean::Cleaner`], cleans with the library (one document, or many
//! in parallel through the library's batch engine, `newsclean::batch`, with
//! the GIL released), and turns the results and the library's typed errors
//! into Python objects and exceptions. The Python package `newsclean`
//! (`newsclean/__init__.py`) re-exports everything here.

use newsclean::corpus::{site_of_url, Profile};
use newsclean::{batch, Cleaner, InputKind, Metadata, Model, RuleSetBuilder, Utf8Mode};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyDict, PyString};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

// Rust's allocations in the extension (Python's own stay with Python): a
// document's many small ones (lines, blocks, rows, output) on a worker
// thread, the results freed by the interpreter's thread. glibc malloc was
// an eighth of the instructions of clean_many, and its per-thread arenas
// trimmed and faulted pages back in from run to run.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

create_exception!(newsclean, Error, PyException, "Base class of every error newsclean raises.");
create_exception!(newsclean, InputError, Error, "A document could not be read: invalid UTF-8, binary data, too large.");
create_exception!(newsclean, RulesError, Error, "A rules file could not be read, parsed or compiled.");
create_exception!(newsclean, ModelError, Error, "A block model file could not be read or does not fit.");
create_exception!(newsclean, ProfileError, Error, "A site profile (from `newsclean learn`) could not be read.");

/// Where an error arose, for the exception class of I/O and JSON errors.
#[derive(Clone, Copy)]
enum Ctx {
    Input,
    Rules,
    Model,
    Profile,
}

/// The library's error as the Python exception of its kind, worded for
/// Python callers (keyword arguments, not command-line flags).
fn to_py(e: &newsclean::Error, ctx: Ctx) -> PyErr {
    use newsclean::Error as E;
    let msg = match e {
        E::InvalidUtf8 { offset } => {
            format!("invalid UTF-8 at byte {offset} (strict_utf8=True; pass lossy=True to replace bad bytes instead)")
        }
        E::TooLarge { size, limit } => {
            format!("input is {size} bytes, over the limit of {limit} bytes (raise it with max_size=)")
        }
        other => other.to_string(),
    };
    match (e, ctx) {
        (E::InvalidUtf8 { .. } | E::Binary { .. } | E::TooLarge { .. }, _) => InputError::new_err(msg),
        (E::Rules { .. } | E::RulePattern { .. }, _) => RulesError::new_err(msg),
        (E::Model { .. }, _) => ModelError::new_err(msg),
        (_, Ctx::Input) => InputError::new_err(msg),
        (_, Ctx::Rules) => RulesError::new_err(msg),
        (_, Ctx::Model) => ModelError::new_err(msg),
        (_, Ctx::Profile) => ProfileError::new_err(msg),
    }
}

/// A document as Python gave it: `str` (cleaned as its UTF-8) or bytes.
enum Doc {
    Str(PyBackedStr),
    Bytes(PyBackedBytes),
}

impl Doc {
    /// `what` names the argument in the error (made only on error: the
    /// documents of `clean_many` are read one by one under the GIL).
    fn extract(obj: &Bound<'_, PyAny>, what: impl FnOnce() -> String) -> PyResult<Doc> {
        if obj.is_instance_of::<PyString>() {
            return Ok(Doc::Str(obj.extract()?));
        }
        match obj.extract::<PyBackedBytes>() {
            Ok(b) => Ok(Doc::Bytes(b)),
            Err(_) => {
                let ty = obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into());
                Err(PyTypeError::new_err(format!("{}: expected str or bytes, got {ty}", what())))
            }
        }
    }

    fn bytes(&self) -> &[u8] {
        match self {
            Doc::Str(s) => s.as_bytes(),
            Doc::Bytes(b) => b,
        }
    }
}

/// What Python sees of a result: the library's [`newsclean::Cleaned`]
/// without the per-block details that only `--explain` needs (dropped on
/// the worker thread, not under the GIL).
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Slim {
    text: String,
    paragraphs: Vec<String>,
    removed: Vec<newsclean::Removed>,
    metadata: Metadata,
}

impl From<newsclean::Cleaned> for Slim {
    fn from(c: newsclean::Cleaned) -> Slim {
        Slim { text: c.text, paragraphs: c.paragraphs, removed: c.removed, metadata: c.metadata }
    }
}

/// A removed block (or a trimmed prefix of one), as the JSON output's `removed[]`.
#[pyclass(frozen, module = "newsclean", name = "Removed")]
struct PyRemoved {
    /// Index of the block in the document.
    #[pyo3(get)]
    index: usize,
    /// 1-based source line (0 for HTML).
    #[pyo3(get)]
    line: usize,
    #[pyo3(get)]
    text: String,
    /// The rule that removed it, as `newsclean --explain` shows it.
    #[pyo3(get)]
    rule: String,
    /// ad, caption, related, timestamp, footer, metadata, profile, dom, context or model.
    #[pyo3(get)]
    kind: String,
    /// The model's probability of boilerplate, where the model decided; else None.
    #[pyo3(get)]
    score: Option<f32>,
    /// Where the model decided: the features that weighed most, as (name, log-odds weight).
    #[pyo3(get)]
    features: Vec<(String, f32)>,
}

#[pymethods]
impl PyRemoved {
    fn __repr__(&self) -> String {
        let score = self.score.map(|s| format!(", score={s:.2}")).unwrap_or_default();
        format!(
            "Removed(index={}, rule={:?}, kind={:?}{score}, text={:?})",
            self.index, self.rule, self.kind, self.text
        )
    }
}

/// The result of cleaning one document.
#[pyclass(frozen, module = "newsclean", name = "Cleaned")]
struct PyCleaned {
    inner: Slim,
}

#[pymethods]
impl PyCleaned {
    /// The article: the kept paragraphs joined by a blank line, with a final newline ("" if nothing was kept).
    #[getter]
    fn text(&self) -> &str {
        &self.inner.text
    }

    /// The kept blocks, one string each, in input order.
    #[getter]
    fn paragraphs(&self) -> Vec<String> {
        self.inner.paragraphs.clone()
    }

    /// Every removed block, in input order.
    #[getter]
    fn removed(&self) -> Vec<PyRemoved> {
        self.inner
            .removed
            .iter()
            .map(|r| PyRemoved {
                index: r.index,
                line: r.line,
                text: r.text.clone(),
                rule: r.rule.clone(),
                kind: r.kind.clone(),
                score: r.score,
                features: r.features.iter().map(|w| (w.feature.clone(), w.weight)).collect(),
            })
            .collect()
    }

    /// `language`, and where found `title`, `date`, `author`, `source`, `site_name`, `url`,
    /// `encoding` (for bytes), `mojibake_fixed` (when repairs were made), `extra`.
    #[getter]
    fn metadata<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let m = &self.inner.metadata;
        let d = PyDict::new(py);
        let fields = [
            ("language", &m.language),
            ("title", &m.title),
            ("date", &m.date),
            ("author", &m.author),
            ("source", &m.source),
            ("site_name", &m.site_name),
            ("url", &m.url),
            ("encoding", &m.encoding),
        ];
        for (k, v) in fields {
            if let Some(v) = v {
                d.set_item(k, v)?;
            }
        }
        if m.mojibake_fixed > 0 {
            d.set_item("mojibake_fixed", m.mojibake_fixed)?;
        }
        if !m.extra.is_empty() {
            let extra = PyDict::new(py);
            for (k, v) in &m.extra {
                extra.set_item(k, v)?;
            }
            d.set_item("extra", extra)?;
        }
        Ok(d)
    }

    /// The result as the JSON object `newsclean --format json` writes (without `path`).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner).map_err(|e| Error::new_err(e.to_string()))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<PyCleaned>().is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "Cleaned({} paragraphs, {} removed, text={:?})",
            self.inner.paragraphs.len(),
            self.inner.removed.len(),
            truncate(&self.inner.text, 60)
        )
    }
}

fn truncate(s: &str, chars: usize) -> String {
    match s.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_owned(),
    }
}

/// One path, or a list of paths (`str` or `os.PathLike`).
fn paths(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<PathBuf>> {
    if let Ok(p) = obj.extract::<PathBuf>() {
        return Ok(vec![p]);
    }
    obj.extract::<Vec<PathBuf>>()
        .map_err(|_| PyTypeError::new_err(format!("{what}: expected a path or a list of paths")))
}

/// The options shared by `clean()` and `Cleaner()`.
struct Options<'a, 'py> {
    lang: Option<String>,
    input: &'a str,
    rules: Option<&'a Bound<'py, PyAny>>,
    profile: Option<PathBuf>,
    site: Option<String>,
    model: Option<&'a Bound<'py, PyAny>>,
    lossy: bool,
    strict_utf8: bool,
    fix_mojibake: bool,
    max_size: Option<usize>,
}

impl Options<'_, '_> {
    fn is_default(&self) -> bool {
        self.lang.is_none()
            && self.input == "auto"
            && self.rules.is_none()
            && self.profile.is_none()
            && self.site.is_none()
            && self.model.is_none()
            && !self.lossy
            && !self.strict_utf8
            && self.fix_mojibake
            && self.max_size.is_none()
    }

    fn build(&self) -> PyResult<Cleaner> {
        self.recipe()?.cleaner(RuleSource::Shared)
    }

    /// Read everything the cleaner is made of (rules files, models, profile),
    /// once; the first cleaner made from it compiles the rules files.
    fn recipe(&self) -> PyResult<Recipe> {
        let input = match self.input {
            "auto" => InputKind::Auto,
            "text" => InputKind::Text,
            "html" => InputKind::Html,
            other => {
                return Err(PyValueError::new_err(format!("input must be 'auto', 'text' or 'html', not {other:?}")))
            }
        };
        let rules = match self.rules {
            None => None,
            Some(obj) => {
                let mut files = Vec::new();
                for path in paths(obj, "rules")? {
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| RulesError::new_err(format!("{}: cannot read rules file: {e}", path.display())))?;
                    files.push((text, path.display().to_string()));
                }
                Some(files)
            }
        };
        let mut models = Models::Builtin;
        if let Some(obj) = self.model {
            if let Ok(on) = obj.extract::<bool>() {
                if !on {
                    models = Models::Off;
                }
            } else {
                let mut given: Vec<Arc<Model>> = Vec::new();
                for path in paths(obj, "model")? {
                    let m = Model::load(&path).map_err(|e| to_py(&e, Ctx::Model))?;
                    if given.iter().any(|g| g.view == m.view) {
                        return Err(ModelError::new_err(format!(
                            "{}: a second model for {} input (give one per view)",
                            path.display(),
                            m.view.as_str()
                        )));
                    }
                    given.push(Arc::new(m));
                }
                models = Models::Given(given);
            }
        }
        let site = match (&self.profile, &self.site) {
            (Some(path), Some(site)) => {
                let profile = Profile::load(path).map_err(|e| to_py(&e, Ctx::Profile))?;
                // A URL names its site by its host, as in `newsclean --jsonl`.
                let site = if site.contains("://") { site_of_url(site).unwrap_or_default() } else { site.clone() };
                Some(profile.site(&site))
            }
            (Some(_), None) => {
                return Err(PyValueError::new_err("profile= needs site= (the host or URL of the documents' site)"))
            }
            (None, Some(_)) => {
                return Err(PyValueError::new_err("site= needs profile= (a profile from `newsclean learn`)"))
            }
            (None, None) => None,
        };
        let recipe = Recipe {
            rules,
            models,
            site,
            lang: self.lang.clone(),
            input,
            utf8: if self.lossy {
                Utf8Mode::Lossy
            } else if self.strict_utf8 {
                Utf8Mode::Strict
            } else {
                Utf8Mode::Detect
            },
            fix_mojibake: self.fix_mojibake,
            max_size: self.max_size.unwrap_or(newsclean::DEFAULT_MAX_SIZE),
        };
        // The rules files compile (and raise their errors) when the caller
        // makes its cleaner from the recipe, which both callers do at once.
        Ok(recipe)
    }
}

/// The block models a cleaner uses.
#[derive(Clone)]
enum Models {
    Builtin,
    Off,
    Given(Vec<Arc<Model>>),
}

/// Where a cleaner's rule set comes from.
#[derive(Clone, Copy, PartialEq)]
enum RuleSource {
    /// The process's built-in rule set when there are no rules files.
    Shared,
    /// A rule set of its own: see [`PyCleaner::workers`].
    Own,
}

/// What a cleaner is made of, read and checked once: each worker thread of
/// `clean_many` makes its own cleaner from it.
#[derive(Clone)]
struct Recipe {
    /// The rules files added to the built-in rules: (text, name).
    rules: Option<Vec<(String, String)>>,
    models: Models,
    /// The site's template lines, when a profile was given.
    site: Option<Option<Arc<newsclean::corpus::SiteLines>>>,
    lang: Option<String>,
    input: InputKind,
    utf8: Utf8Mode,
    fix_mojibake: bool,
    max_size: usize,
}

impl Recipe {
    /// The built-in rules and the rules files, compiled afresh.
    fn rule_set(&self) -> PyResult<Option<newsclean::RuleSet>> {
        let Some(files) = &self.rules else { return Ok(None) };
        let mut b = RuleSetBuilder::with_builtin();
        for (text, name) in files {
            b.add_toml(text, name).map_err(|e| to_py(&e, Ctx::Rules))?;
        }
        b.build().map(Some).map_err(|e| to_py(&e, Ctx::Rules))
    }

    fn cleaner(&self, source: RuleSource) -> PyResult<Cleaner> {
        let mut cleaner = match (self.rule_set()?, source) {
            (Some(rules), _) => Cleaner::with_rules(rules),
            (None, RuleSource::Shared) => Cleaner::new(),
            (None, RuleSource::Own) => Cleaner::with_rules(newsclean::RuleSet::builtin()),
        };
        match &self.models {
            Models::Builtin => {}
            Models::Off => cleaner = cleaner.without_model(),
            Models::Given(given) => {
                for m in given {
                    cleaner = cleaner.with_model(m.clone());
                }
            }
        }
        if let Some(lines) = &self.site {
            cleaner = cleaner.site_profile(lines.clone());
        }
        Ok(cleaner
            .language(self.lang.clone())
            .input_kind(self.input)
            .utf8_mode(self.utf8)
            .fix_mojibake(self.fix_mojibake)
            .max_size(self.max_size))
    }
}

fn clean_one(py: Python<'_>, cleaner: &Cleaner, doc: &Bound<'_, PyAny>) -> PyResult<PyCleaned> {
    let doc = Doc::extract(doc, || "doc".into())?;
    let out = py.detach(|| cleaner.clean_bytes(doc.bytes()).map(Slim::from));
    out.map(|inner| PyCleaned { inner }).map_err(|e| to_py(&e, Ctx::Input))
}

/// The cleaner with the built-in rules and model, built once.
fn default_cleaner() -> &'static Cleaner {
    static DEFAULT: OnceLock<Cleaner> = OnceLock::new();
    DEFAULT.get_or_init(Cleaner::new)
}

/// Clean one document (see `newsclean.Cleaner` for the options).
#[pyfunction]
#[pyo3(signature = (doc, *, lang=None, input="auto", rules=None, profile=None, site=None, model=None, lossy=false, strict_utf8=false, fix_mojibake=true, max_size=None))]
#[allow(clippy::too_many_arguments)]
fn clean(
    py: Python<'_>,
    doc: &Bound<'_, PyAny>,
    lang: Option<String>,
    input: &str,
    rules: Option<&Bound<'_, PyAny>>,
    profile: Option<PathBuf>,
    site: Option<String>,
    model: Option<&Bound<'_, PyAny>>,
    lossy: bool,
    strict_utf8: bool,
    fix_mojibake: bool,
    max_size: Option<usize>,
) -> PyResult<PyCleaned> {
    let opts = Options { lang, input, rules, profile, site, model, lossy, strict_utf8, fix_mojibake, max_size };
    if opts.is_default() {
        return clean_one(py, default_cleaner(), doc);
    }
    clean_one(py, &opts.build()?, doc)
}

/// A reusable cleaner: it holds the compiled rules and the model.
#[pyclass(frozen, module = "newsclean", name = "Cleaner")]
struct PyCleaner {
    /// For `clean()`, on the caller's thread.
    cleaner: Cleaner,
    recipe: Recipe,
    /// The pools of the last [`KEPT_POOLS`] `jobs` values asked for, with
    /// their workers' cleaners, kept for the next calls (the last used last).
    workers: Mutex<Vec<Workers>>,
}

/// A pool of `jobs` threads, each with a cleaner of its own, made from the
/// recipe on the thread when it first cleans and kept with the pool. Each
/// has its own rule set: the rules' lazy DFAs keep their search caches in
/// pools owned by the first thread that searched, and on a rule set shared
/// by two workers the owner's every search (some sixty a document) wrote a
/// cache line that the other read on each of its own.
struct Workers {
    jobs: usize,
    pool: Arc<rayon::ThreadPool>,
    cleaners: Arc<WorkerCleaners>,
}

/// How many pools (`jobs` values) a Cleaner keeps: a caller that alternates
/// between two does not rebuild the workers' rule sets on every call.
const KEPT_POOLS: usize = 2;

/// A worker's cleaner (`None` had it failed to build; see `clean_many`).
type WorkerCleaners = batch::PerWorker<Option<Cleaner>>;

impl PyCleaner {
    fn workers(&self, jobs: usize) -> PyResult<(Arc<rayon::ThreadPool>, Arc<WorkerCleaners>)> {
        let mut kept = self.workers.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(at) = kept.iter().position(|w| w.jobs == jobs) {
            let w = kept.remove(at);
            let found = (w.pool.clone(), w.cleaners.clone());
            kept.push(w);
            return Ok(found);
        }
        let pool = Arc::new(batch::pool(Some(jobs)).map_err(|e| Error::new_err(e.to_string()))?);
        let cleaners = Arc::new(batch::PerWorker::new(&pool));
        if kept.len() == KEPT_POOLS {
            kept.remove(0);
        }
        kept.push(Workers { jobs, pool: pool.clone(), cleaners: cleaners.clone() });
        Ok((pool, cleaners))
    }
}

#[pymethods]
impl PyCleaner {
    #[new]
    #[pyo3(signature = (*, lang=None, input="auto", rules=None, profile=None, site=None, model=None, lossy=false, strict_utf8=false, fix_mojibake=true, max_size=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        lang: Option<String>,
        input: &str,
        rules: Option<&Bound<'_, PyAny>>,
        profile: Option<PathBuf>,
        site: Option<String>,
        model: Option<&Bound<'_, PyAny>>,
        lossy: bool,
        strict_utf8: bool,
        fix_mojibake: bool,
        max_size: Option<usize>,
    ) -> PyResult<PyCleaner> {
        let recipe = Options { lang, input, rules, profile, site, model, lossy, strict_utf8, fix_mojibake, max_size }
            .recipe()?;
        let cleaner = recipe.cleaner(RuleSource::Shared)?;
        Ok(PyCleaner { cleaner, recipe, workers: Mutex::new(Vec::new()) })
    }

    /// Clean one document.
    fn clean(&self, py: Python<'_>, doc: &Bound<'_, PyAny>) -> PyResult<PyCleaned> {
        clean_one(py, &self.cleaner, doc)
    }

    /// Clean many documents in parallel, without the GIL; results in input order.
    #[pyo3(signature = (docs, jobs=None))]
    fn clean_many(&self, py: Python<'_>, docs: &Bound<'_, PyAny>, jobs: Option<usize>) -> PyResult<Vec<PyCleaned>> {
        let docs: Vec<Doc> = docs
            .try_iter()?
            .enumerate()
            .map(|(i, d)| Doc::extract(&d?, || format!("document {i}")))
            .collect::<PyResult<_>>()?;
        let jobs = match jobs {
            Some(0) => return Err(PyValueError::new_err("jobs must be at least 1 (or None for one per core)")),
            Some(j) => j,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        let (pool, cleaners) = self.workers(jobs)?;
        let results = py.detach(|| {
            batch::map_ordered(&pool, &docs, |d| {
                // This Cleaner's own cleaner was made from the same recipe,
                // so a worker's cleaner is made without error.
                let own = cleaners.get_or_init(|| self.recipe.cleaner(RuleSource::Own).ok());
                let cleaner = own.and_then(Option::as_ref).unwrap_or(&self.cleaner);
                cleaner.clean_bytes(d.bytes()).map(Slim::from)
            })
        });
        results
            .into_iter()
            .enumerate()
            .map(|(i, r)| match r {
                Ok(inner) => Ok(PyCleaned { inner }),
                Err(e) => {
                    let err = to_py(&e, Ctx::Input);
                    let msg = format!("document {i}: {}", err.value(py));
                    Err(PyErr::from_type(err.get_type(py), msg))
                }
            })
            .collect()
    }

    fn __repr__(&self) -> String {
        "Cleaner(...)".into()
    }
}

#[pymodule]
fn _newsclean(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(clean, m)?)?;
    m.add_class::<PyCleaner>()?;
    m.add_class::<PyCleaned>()?;
    m.add_class::<PyRemoved>()?;
    m.add("Error", py.get_type::<Error>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("RulesError", py.get_type::<RulesError>())?;
    m.add("ModelError", py.get_type::<ModelError>())?;
    m.add("ProfileError", py.get_type::<ProfileError>())?;
    Ok(())
}
