//! The documentation stays true to the tree: docs/architecture.md lists every source file.

mod common;

#[test]
fn the_architecture_notes_list_every_source_file_and_no_other() {
    let root = common::repo();
    let notes = std::fs::read_to_string(root.join("docs/architecture.md")).unwrap();
    let tree = notes
        .split("## The tree")
        .nth(1)
        .and_then(|t| t.split("```").nth(1))
        .expect("docs/architecture.md has a tree");
    let mut listed: Vec<String> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect();
    listed.sort();
    let mut files: Vec<String> = walkdir::WalkDir::new(root.join("src"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    assert_eq!(listed, files);
}
