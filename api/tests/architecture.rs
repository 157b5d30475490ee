//! The shape of the code base, checked: where SQL lives, which way files depend on each other,
//! what a service may import. `docs/ARCHITECTURE.md` explains the rules; this keeps them true.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/`, relative to it, with its text before its unit tests.
fn sources() -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, root, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&p).unwrap();
                let code = match text.find("#[cfg(test)]\nmod tests") {
                    Some(i) => text[..i].to_string(),
                    None => text,
                };
                out.insert(p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"), code);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&src(), &src(), &mut out);
    out
}

/// Lines of code, without comment lines.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, l)| (i + 1, l)).filter(|(_, l)| !l.trim_start().starts_with("//"))
}

fn is_data_layer(file: &str) -> bool {
    file.starts_with("db/") || file.ends_with("/repo.rs")
}

#[test]
fn queries_live_in_repo_files_and_the_data_layer() {
    const QUERY_MARKERS: [&str; 10] = [
        "::table",
        "sql_query(",
        "insert_into(",
        "diesel::update(",
        "diesel::delete(",
        "batch_execute(",
        "Sql::new(",
        ".get_result(",
        ".get_results(",
        ".load(conn",
    ];
    let mut found = Vec::new();
    for (file, text) in sources() {
        if is_data_layer(&file) {
            continue;
        }
        for (n, line) in code_lines(&text) {
            if let Some(m) = QUERY_MARKERS.iter().find(|m| line.contains(*m)) {
                found.push(format!("{file}:{n}: `{m}` in {}", line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "queries outside repo.rs and db/:\n{}", found.join("\n"));
}

#[test]
fn services_rules_and_models_know_no_http_framework() {
    let mut found = Vec::new();
    for (file, text) in sources() {
        let name = file.rsplit('/').next().unwrap_or(&file);
        let domain_file = matches!(name, "service.rs" | "rules.rs" | "model.rs" | "repo.rs")
            || file.starts_with("demo/")
            || file.starts_with("db/");
        if !domain_file {
            continue;
        }
        for (n, line) in code_lines(&text) {
            if line.contains("actix_web") || line.contains("actix_multipart") {
                found.push(format!("{file}:{n}: {}", line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "HTTP framework used outside routes and http/:\n{}", found.join("\n"));
}

/// A handler reads its input through `http::{Path, Query, JsonBody}`, whose errors wait for the
/// permission gate's verdict; actix's own extractors would answer a caller refused 403 with what
/// its input lacked.
#[test]
fn handlers_read_their_input_through_the_gate_aware_extractors() {
    const RAW: [&str; 3] = [": web::Path<", ": web::Query<", ": web::Json<"];
    let mut found = Vec::new();
    for (file, text) in sources() {
        if file.starts_with("http/") {
            continue;
        }
        for (n, line) in code_lines(&text) {
            if let Some(m) = RAW.iter().find(|m| line.contains(*m)) {
                found.push(format!("{file}:{n}: `{m}` in {}", line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "actix extractors read input beside the gate:\n{}", found.join("\n"));
    assert!(sources()["plans/routes.rs"].contains("Path<i64>"), "the check reads the handlers");
}

/// The file a `crate::…` path names: the longest prefix of its segments that is a file.
fn resolve(files: &BTreeMap<String, String>, segments: &[&str]) -> Option<String> {
    for n in (1..=segments.len()).rev() {
        let base = segments[..n].join("/");
        for candidate in [format!("{base}.rs"), format!("{base}/mod.rs")] {
            if files.contains_key(&candidate) {
                return Some(candidate);
            }
        }
    }
    None
}

/// The module path of a file (`onestop/dossiers/repo.rs` → `onestop::dossiers::repo`).
fn module_of(file: &str) -> Vec<String> {
    let trimmed = file.trim_end_matches(".rs").trim_end_matches("/mod");
    if matches!(trimmed, "lib" | "main") {
        return Vec::new();
    }
    trimmed.split('/').map(str::to_string).collect()
}

/// Every path the file names through `crate::` or `super::`, as absolute segment lists; `use`
/// groups (`use super::{repo, service};`) are expanded one level.
fn referenced_paths(file: &str, text: &str) -> Vec<Vec<String>> {
    let module = module_of(file);
    let is_mod_file = file.ends_with("mod.rs") || file == "lib.rs";
    // `super` of a file `a/b.rs` is `a`; of `a/b/mod.rs` it is `a` too.
    let parent: Vec<String> = if is_mod_file || module.is_empty() {
        module.iter().take(module.len().saturating_sub(1)).cloned().collect()
    } else {
        module[..module.len() - 1].to_vec()
    };
    let mut out = Vec::new();
    let bytes = text;
    let mut rest = bytes;
    while let Some(i) = rest.find(['c', 's']) {
        let tail = &rest[i..];
        let before_ok = i == 0 || !rest[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':');
        let (base, after) = if before_ok && tail.starts_with("crate::") {
            (Vec::new(), &tail[7..])
        } else if before_ok && tail.starts_with("super::") {
            (parent.clone(), &tail[7..])
        } else {
            rest = &tail[1..];
            continue;
        };
        let mut segments = base;
        let mut s = after;
        loop {
            if let Some(group) = s.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let item = item.trim().split("::").next().unwrap_or("").trim();
                    if !item.is_empty() && item != "self" {
                        let mut p = segments.clone();
                        p.push(item.split_whitespace().next().unwrap_or(item).to_string());
                        out.push(p);
                    }
                }
                segments.clear();
                break;
            }
            let ident: String = s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if ident.is_empty() {
                break;
            }
            segments.push(ident.clone());
            s = &s[ident.len()..];
            match s.strip_prefix("::") {
                Some(next) => s = next,
                None => break,
            }
        }
        if !segments.is_empty() {
            out.push(segments);
        }
        rest = &tail[7..];
    }
    out
}

fn dependency_graph() -> BTreeMap<String, BTreeSet<String>> {
    let files = sources();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, text) in &files {
        let deps = graph.entry(file.clone()).or_default();
        for path in referenced_paths(file, text) {
            let segs: Vec<&str> = path.iter().map(String::as_str).collect();
            if let Some(target) = resolve(&files, &segs)
                && &target != file
            {
                deps.insert(target);
            }
        }
    }
    graph
}

#[test]
fn no_file_depends_on_itself_through_others() {
    let graph = dependency_graph();
    // Tarjan's strongly connected components.
    struct State<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        cycles: Vec<Vec<&'a str>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            if !s.index.contains_key(w.as_str()) {
                visit(s, w);
                let lw = s.low[w.as_str()];
                let lv = s.low[v];
                s.low.insert(v, lv.min(lw));
            } else if s.on_stack.contains(w.as_str()) {
                let iw = s.index[w.as_str()];
                let lv = s.low[v];
                s.low.insert(v, lv.min(iw));
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w);
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.cycles.push(component);
            }
        }
    }
    let mut s = State {
        graph: &graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        cycles: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    let listed: Vec<String> = s.cycles.iter().map(|c| c.join(" ↔ ")).collect();
    assert!(listed.is_empty(), "files that depend on each other:\n{}", listed.join("\n"));
}

#[test]
fn the_data_layer_knows_no_domain_and_no_cache() {
    let graph = dependency_graph();
    // `fsutil.rs` is shared plumbing (private file modes, fsync), no domain and no cache.
    let allowed = |t: &str| t.starts_with("db/") || matches!(t, "error.rs" | "config.rs" | "fsutil.rs");
    let mut found = Vec::new();
    for (file, deps) in &graph {
        if file.starts_with("db/") {
            for d in deps.iter().filter(|d| !allowed(d)) {
                found.push(format!("{file} → {d}"));
            }
        }
    }
    assert!(found.is_empty(), "db/ depends on:\n{}", found.join("\n"));
}

#[test]
fn the_checks_see_what_they_check() {
    // A check that finds nothing because it reads nothing would pass forever.
    let files = sources();
    assert!(files.contains_key("onestop/dossiers/repo.rs") && files.contains_key("db/mod.rs"));
    let graph = dependency_graph();
    let routes = &graph["onestop/dossiers/routes.rs"];
    assert!(routes.contains("onestop/dossiers/service.rs"), "{routes:?}");
    assert!(routes.contains("error.rs"), "{routes:?}");
    let paths = referenced_paths("a/b.rs", "use super::{repo, service};\nlet x = crate::db::run(p);");
    assert_eq!(
        paths,
        vec![vec!["a".to_string(), "repo".into()], vec!["a".into(), "service".into()], vec!["db".into(), "run".into()]]
    );
}
