//! Agreement between raters beyond chance: Cohen's kappa for two raters, Fleiss' kappa for
//! many raters when every image has the same number of ratings. Labels are small integers
//! (0 = OK, 1 = KO, or one per failure category). Krippendorff's alpha is in `krippendorff`.

/// Cohen's kappa (1960) over the items two raters both labelled, given as `(a, b)` pairs with
/// labels below `labels`. None when chance alone explains everything (both raters gave one and
/// the same label to every item: kappa is 0/0).
pub fn cohen_kappa(pairs: &[(usize, usize)], labels: usize) -> Option<f64> {
    if pairs.is_empty() {
        return None;
    }
    let n = pairs.len() as f64;
    let (mut first, mut second) = (vec![0.0; labels], vec![0.0; labels]);
    let mut agree = 0.0;
    for &(a, b) in pairs {
        *first.get_mut(a)? += 1.0;
        *second.get_mut(b)? += 1.0;
        if a == b {
            agree += 1.0;
        }
    }
    let observed = agree / n;
    let chance: f64 = first.iter().zip(&second).map(|(x, y)| x * y).sum::<f64>() / (n * n);
    (chance < 1.0).then(|| (observed - chance) / (1.0 - chance))
}

/// Fleiss' kappa (1971): `counts[i][j]` is how many raters put item i in category j. Every item
/// must have the same number of ratings, at least two; None otherwise, or when every rating is
/// the same category.
pub fn fleiss_kappa(counts: &[Vec<u64>]) -> Option<f64> {
    let raters = counts.first()?.iter().sum::<u64>();
    if raters < 2 || counts.iter().any(|row| row.iter().sum::<u64>() != raters) {
        return None;
    }
    let (items, r) = (counts.len() as f64, raters as f64);
    let categories = counts[0].len();
    let mut totals = vec![0.0; categories];
    let mut agreement = 0.0;
    for row in counts {
        let squares: f64 = row.iter().map(|&c| (c * c) as f64).sum();
        agreement += (squares - r) / (r * (r - 1.0));
        for (total, &c) in totals.iter_mut().zip(row) {
            *total += c as f64;
        }
    }
    let observed = agreement / items;
    let chance: f64 = totals.iter().map(|t| (t / (items * r)).powi(2)).sum();
    (chance < 1.0).then(|| (observed - chance) / (1.0 - chance))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repeat(pair: (usize, usize), times: usize) -> Vec<(usize, usize)> {
        vec![pair; times]
    }

    /// Wikipedia, "Cohen's kappa", simple example: 50 grant proposals, both yes 20, A yes and
    /// B no 5, A no and B yes 10, both no 15: p_o = 0.7, p_e = 0.5, kappa = 0.4.
    #[test]
    fn cohens_kappa_on_the_two_by_two_example() {
        let pairs = [
            repeat((0, 0), 20),
            repeat((0, 1), 5),
            repeat((1, 0), 10),
            repeat((1, 1), 15),
        ]
        .concat();
        let kappa = cohen_kappa(&pairs, 2).unwrap();
        assert!((kappa - 0.4).abs() < 1e-12, "{kappa}");
    }

    #[test]
    fn cohens_kappa_is_one_for_full_agreement_and_undefined_without_variety() {
        let pairs = [repeat((0, 0), 3), repeat((1, 1), 4)].concat();
        assert_eq!(cohen_kappa(&pairs, 2), Some(1.0));
        assert_eq!(cohen_kappa(&repeat((1, 1), 5), 2), None);
        assert_eq!(cohen_kappa(&[], 2), None);
        assert_eq!(cohen_kappa(&[(0, 7)], 2), None, "a label out of range");
    }

    /// Fleiss (1971) as reproduced in Wikipedia's "Fleiss' kappa" worked example: 10 subjects,
    /// 14 raters, 5 categories; P-bar = 0.378, P-bar-e = 0.213, kappa = 0.210.
    #[test]
    fn fleiss_kappa_on_the_classic_ten_subject_example() {
        let table: Vec<Vec<u64>> = [
            [0, 0, 0, 0, 14],
            [0, 2, 6, 4, 2],
            [0, 0, 3, 5, 6],
            [0, 3, 9, 2, 0],
            [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0],
            [3, 2, 6, 3, 0],
            [2, 5, 3, 2, 2],
            [6, 5, 2, 1, 0],
            [0, 2, 2, 3, 7],
        ]
        .iter()
        .map(|row| row.to_vec())
        .collect();
        let kappa = fleiss_kappa(&table).unwrap();
        assert!((kappa - 0.210).abs() < 0.0005, "{kappa}");
    }

    #[test]
    fn fleiss_kappa_needs_the_same_number_of_ratings_per_item() {
        assert_eq!(fleiss_kappa(&[vec![1, 1], vec![2, 1]]), None);
        assert_eq!(
            fleiss_kappa(&[vec![1, 0], vec![0, 1]]),
            None,
            "one rater each"
        );
        assert_eq!(
            fleiss_kappa(&[vec![2, 0], vec![2, 0]]),
            None,
            "one category"
        );
        assert_eq!(fleiss_kappa(&[vec![2, 0], vec![0, 2]]), Some(1.0));
    }
}
