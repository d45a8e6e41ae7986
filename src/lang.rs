//! Language detection by stopword counts over the languages that have rules
//! files. It is cheap (one hash look-up per word over the first few hundred
//! words) and agrees with the rules: a language we have no stopwords for is
//! reported as unknown, and the stopword feature then uses every list.

use crate::blocks::Block;
use crate::features::{scan, WordScan};
use crate::rules::Stopwords;

/// How many words are read to decide (whole blocks, so a little more).
const SAMPLE_WORDS: usize = 400;

/// The most likely language code, or `None` when too few stopwords were seen.
pub fn detect(blocks: &[Block], stopwords: &Stopwords) -> Option<String> {
    detect_scanned(&scan(blocks, stopwords), stopwords)
}

/// [`detect`] from the word counts the features stage makes anyway.
pub fn detect_scanned(words: &WordScan, stopwords: &Stopwords) -> Option<String> {
    let langs = stopwords.languages();
    let mut counts = vec![0u32; words.languages()];
    let mut seen = 0;
    for (i, b) in words.blocks.iter().enumerate() {
        if seen >= SAMPLE_WORDS {
            break;
        }
        for (l, c) in counts.iter_mut().enumerate() {
            *c += words.stopwords_in(i, l);
        }
        seen += b.words;
    }
    let (best, &n) = counts.iter().enumerate().max_by_key(|&(i, &c)| (c, std::cmp::Reverse(i)))?;
    (n >= 3 && n as usize * 10 >= seen).then(|| langs[best].clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::segment;
    use crate::rules::RuleSet;

    #[test]
    fn tells_related_languages_apart() {
        let rs = RuleSet::builtin();
        let sw = rs.stopwords();
        let cases = [
            ("en", "The council said that it would not change the plan for the harbour this year."),
            ("da", "Kommunen siger, at den ikke vil ændre planen for havnen i år, og det er ikke nyt."),
            ("nl", "De gemeente zegt dat zij het plan voor de haven dit jaar niet zal wijzigen."),
            ("de", "Die Stadt sagt, dass sie den Plan für den Hafen in diesem Jahr nicht ändern wird."),
            ("sv", "Kommunen säger att den inte kommer att ändra planen för hamnen i år, och det är inte nytt."),
            ("fr", "La ville dit qu'elle ne changera pas le plan du port cette année, et ce n'est pas nouveau."),
            ("es", "El ayuntamiento dice que no cambiará el plan del puerto este año, y no es nuevo."),
            ("it", "Il comune dice che non cambierà il piano del porto quest'anno, e non è una novità."),
            ("pt", "A câmara diz que não vai mudar o plano do porto este ano, e isso não é novo."),
        ];
        for (lang, text) in cases {
            assert_eq!(detect(&segment(text), sw).as_deref(), Some(lang), "{text}");
        }
        assert_eq!(detect(&segment("12345 67890"), sw), None);
    }
}
