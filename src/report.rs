//! `check --report`: the editorial state of a site at a glance, for an editor who keeps
//! medical reviews current: reviews overdue or due soon, articles never reviewed or without
//! sources, and how hard each article is to read.

use serde::Serialize;

use crate::check::max_grade;
use crate::readability;
use crate::site::{Article, Site};

/// Where an article's medical review stands on the day of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewState {
    /// `reviewed.next` has passed.
    Overdue,
    /// Due within 30 days.
    Due30,
    /// Due within 90 days.
    Due90,
    /// Never reviewed: no `reviewed`.
    Never,
    /// Reviewed, and not due for 90 days or more (or no `next` date).
    Current,
}

impl ReviewState {
    fn label(self) -> &'static str {
        match self {
            ReviewState::Overdue => "OVERDUE",
            ReviewState::Due30 => "due ≤30 d",
            ReviewState::Due90 => "due ≤90 d",
            ReviewState::Never => "never",
            ReviewState::Current => "current",
        }
    }
}

/// One article's line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub file: String,
    pub url: String,
    pub title: String,
    pub review: ReviewState,
    pub reviewed_on: Option<String>,
    pub next_review: Option<String>,
    /// Days until `next_review` (negative once it has passed).
    pub days_left: Option<i64>,
    pub sources: usize,
    pub words: usize,
    /// Flesch–Kincaid grade; null for languages the formula does not fit, or no text.
    pub reading_grade: Option<f64>,
    pub max_grade: f64,
}

/// The report: every article, the most pressing first.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub today: String,
    pub articles: Vec<Row>,
    pub overdue: usize,
    pub due_30: usize,
    pub due_90: usize,
    pub never_reviewed: usize,
    pub without_sources: usize,
    pub above_reading_grade: usize,
}

/// The report of the built models of a site, one per language.
pub fn report(sites: &[Site]) -> Report {
    let today = sites[0].today;
    let mut articles: Vec<Row> = (sites.iter())
        .flat_map(|site| {
            let english = readability::applies_to(&site.config.language);
            site.articles.iter().map(move |a| row(site, a, english))
        })
        .collect();
    articles
        .sort_by(|x, y| (x.review, x.days_left, &x.file).cmp(&(y.review, y.days_left, &y.file)));
    let count = |state| articles.iter().filter(|r| r.review == state).count();
    Report {
        today: today.to_string(),
        overdue: count(ReviewState::Overdue),
        due_30: count(ReviewState::Due30),
        due_90: count(ReviewState::Due90),
        never_reviewed: count(ReviewState::Never),
        without_sources: articles.iter().filter(|r| r.sources == 0).count(),
        above_reading_grade: (articles.iter())
            .filter(|r| r.reading_grade.is_some_and(|g| g > r.max_grade))
            .count(),
        articles,
    }
}

fn row(site: &Site, a: &Article, english: bool) -> Row {
    let review = a.fm.reviewed.as_ref();
    let days_left = review
        .and_then(|r| r.next)
        .map(|n| n.days() - site.today.days());
    let state = match (review, days_left) {
        (None, _) => ReviewState::Never,
        (Some(_), Some(d)) if d < 0 => ReviewState::Overdue,
        (Some(_), Some(d)) if d <= 30 => ReviewState::Due30,
        (Some(_), Some(d)) if d <= 90 => ReviewState::Due90,
        _ => ReviewState::Current,
    };
    let reading = if english {
        readability::measure(&a.body.html)
    } else {
        None
    };
    Row {
        file: a.file.to_string_lossy().replace('\\', "/"),
        url: site.url(&a.path),
        title: a.fm.title.clone(),
        review: state,
        reviewed_on: review.map(|r| r.date.to_string()),
        next_review: review.and_then(|r| r.next).map(|d| d.to_string()),
        days_left,
        sources: a.fm.sources.len(),
        words: reading.as_ref().map_or(a.body.word_count, |r| r.words),
        reading_grade: reading.map(|r| r.grade),
        max_grade: max_grade(site, a),
    }
}

/// The report as a table for a terminal.
pub fn table(report: &Report) -> String {
    let mut out = String::new();
    let files: Vec<String> = (report.articles.iter())
        .map(|r| crate::control_chars::printable(&r.file).into_owned())
        .collect();
    let width = files
        .iter()
        .map(|f| f.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    out.push_str(&format!(
        "{:<width$}  {:<10}  {:<10}  {:>7}  {:>5}  {:>5}\n",
        "file", "review", "next", "sources", "words", "grade"
    ));
    for (r, file) in report.articles.iter().zip(&files) {
        let grade = match r.reading_grade {
            Some(g) if g > r.max_grade => format!("{g:.1}!"),
            Some(g) => format!("{g:.1}"),
            None => "-".into(),
        };
        out.push_str(&format!(
            "{:<width$}  {:<10}  {:<10}  {:>7}  {:>5}  {:>5}\n",
            file,
            r.review.label(),
            r.next_review.as_deref().unwrap_or("-"),
            r.sources,
            r.words,
            grade
        ));
    }
    out.push_str(&format!(
        "\n{} articles on {}: {} overdue for review, {} due within 30 days, {} within 90, {} never reviewed, {} without sources, {} above their reading grade (marked !).\n",
        report.articles.len(),
        report.today,
        report.overdue,
        report.due_30,
        report.due_90,
        report.never_reviewed,
        report.without_sources,
        report.above_reading_grade
    ));
    out
}
