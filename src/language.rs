//! What a page's language tag (BCP 47: `en`, `en-GB`, `ar`, `zh-Hant`) tells the page: which
//! way its text runs, and the locale Open Graph expects.

/// Languages written right to left, by primary subtag.
const RIGHT_TO_LEFT: &[&str] = &[
    "ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi",
];

/// The primary language subtag of a tag, lower-cased: `es` for `es-MX`, `en` for `en_GB`.
pub fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// `rtl` for a language written right to left (or a tag naming a right-to-left script, such
/// as `az-Arab`), else `ltr`.
pub fn direction(tag: &str) -> &'static str {
    let mut parts = tag.split(['-', '_']);
    let primary = parts.next().unwrap_or("").to_ascii_lowercase();
    let rtl_script = parts.any(|p| {
        matches!(
            p.to_ascii_lowercase().as_str(),
            "arab" | "hebr" | "thaa" | "syrc" | "nkoo" | "adlm" | "rohg"
        )
    });
    if RIGHT_TO_LEFT.contains(&primary.as_str()) || rtl_script {
        "rtl"
    } else {
        "ltr"
    }
}

/// The `og:locale` form of a tag: `language_TERRITORY` (`en-GB` gives `en_GB`). A tag without
/// a territory gets the one the language is most written in (`es` gives `es_ES`), as Open
/// Graph has no bare languages.
pub fn og_locale(tag: &str) -> String {
    let mut parts = tag.split(['-', '_']);
    let language = parts.next().unwrap_or("").to_ascii_lowercase();
    let rest: Vec<&str> = parts.collect();
    if let Some(region) = rest
        .iter()
        .find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
    {
        return format!("{language}_{}", region.to_ascii_uppercase());
    }
    if language == "es" && rest.contains(&"419") {
        // Latin American Spanish, as Facebook names it.
        return "es_LA".into();
    }
    let script = rest
        .iter()
        .find(|p| p.len() == 4)
        .map(|s| s.to_ascii_lowercase());
    let region = match (language.as_str(), script.as_deref()) {
        ("zh", Some("hant")) => "TW",
        ("zh", _) => "CN",
        ("en", _) => "US",
        ("ar", _) => "AR",
        ("cy", _) => "GB",
        ("ga", _) => "IE",
        ("he", _) => "IL",
        ("ja", _) => "JP",
        ("ko", _) => "KR",
        ("hi", _) => "IN",
        ("ur", _) => "PK",
        ("fa", _) => "IR",
        ("sv", _) => "SE",
        ("da", _) => "DK",
        ("nb" | "no", _) => "NO",
        ("uk", _) => "UA",
        ("el", _) => "GR",
        ("cs", _) => "CZ",
        ("vi", _) => "VN",
        ("sw", _) => "KE",
        // Most other languages share their code with their main country (es_ES, fr_FR,
        // de_DE, pt_PT, it_IT, nl_NL, pl_PL...).
        (l, _) if l.len() == 2 => return format!("{l}_{}", l.to_ascii_uppercase()),
        _ => return language,
    };
    format!("{language}_{region}")
}

/// Whether `tag` has the shape of a BCP 47 language tag as sites use them: a primary
/// language of 2 or 3 letters, then subtags of 2 to 8 letters or digits (`pt-BR`, `zh-Hans`,
/// `es-419`). Also what tells a translation's file name (`foot-spasms.es.md`) from a name
/// with a dot in it.
pub fn is_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions_follow_the_language_or_its_script() {
        for (tag, dir) in [
            ("ar", "rtl"),
            ("ar-EG", "rtl"),
            ("he", "rtl"),
            ("fa", "rtl"),
            ("ur-PK", "rtl"),
            ("az-Arab", "rtl"),
            ("en", "ltr"),
            ("es-MX", "ltr"),
            ("zh-Hant", "ltr"),
            ("", "ltr"),
        ] {
            assert_eq!(direction(tag), dir, "{tag}");
        }
    }

    #[test]
    fn open_graph_locales_have_a_territory() {
        for (tag, locale) in [
            ("en-GB", "en_GB"),
            ("en", "en_US"),
            ("es", "es_ES"),
            ("es-419", "es_LA"),
            ("pt-BR", "pt_BR"),
            ("ar", "ar_AR"),
            ("zh-Hant", "zh_TW"),
            ("zh-Hans-CN", "zh_CN"),
            ("cy", "cy_GB"),
            ("fr", "fr_FR"),
        ] {
            assert_eq!(og_locale(tag), locale, "{tag}");
        }
    }
}
