//! The order of a review queue: newest session first, and within a session by file, by seed,
//! or in a random order that stays the same for the whole pass (so paging is stable).

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReviewOrder {
    #[default]
    File,
    Seed,
    /// Shuffled by a hash of the image id and the pass's salt.
    Random,
    /// Across the library, the KO predictor's most likely failures first.
    LikelyKo,
    /// Across the library, the predictions nearest 0.5 first: what teaches the predictor most
    /// per judgement.
    Uncertain,
}

impl ReviewOrder {
    pub fn parse(text: &str) -> Result<ReviewOrder, String> {
        match text {
            "" | "file" => Ok(ReviewOrder::File),
            "seed" => Ok(ReviewOrder::Seed),
            "random" => Ok(ReviewOrder::Random),
            "likely_ko" => Ok(ReviewOrder::LikelyKo),
            "uncertain" => Ok(ReviewOrder::Uncertain),
            other => Err(format!(
                "`order` is file, seed, random, likely_ko or uncertain, not `{other}`"
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewOrder::File => "file",
            ReviewOrder::Seed => "seed",
            ReviewOrder::Random => "random",
            ReviewOrder::LikelyKo => "likely_ko",
            ReviewOrder::Uncertain => "uncertain",
        }
    }

    /// Whether the queue follows the predictions across the library rather than sessions.
    pub fn by_prediction(self) -> bool {
        matches!(self, ReviewOrder::LikelyKo | ReviewOrder::Uncertain)
    }
}

/// What an image is sorted by within its session.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OrderKey {
    rank: i128,
    name: String,
    id: i32,
}

impl OrderKey {
    /// File order: by filename. Seed order: by seed (images without one first), then filename.
    /// Random: by a hash of the id and `salt`. The id breaks every tie, so no two images are
    /// ever equal and a cursor names one position.
    pub fn new(
        order: ReviewOrder,
        salt: u32,
        id: i32,
        filename: &str,
        seed: Option<i64>,
    ) -> OrderKey {
        let (rank, name) = match order {
            ReviewOrder::File => (0, filename.to_owned()),
            ReviewOrder::Seed => (seed.map_or(i128::MIN, i128::from), filename.to_owned()),
            ReviewOrder::Random => (i128::from(shuffle(salt, id)), String::new()),
            // Ordered by the database (`db::review_predicted`); within a session, by file.
            ReviewOrder::LikelyKo | ReviewOrder::Uncertain => (0, filename.to_owned()),
        };
        OrderKey { rank, name, id }
    }
}

/// splitmix64 of (salt, id): a well-mixed, stable pseudo-random number.
fn shuffle(salt: u32, id: i32) -> u64 {
    let mut z = (u64::from(salt) << 32 | u64::from(id as u32)).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(order: ReviewOrder, salt: u32) -> Vec<i32> {
        let images = [
            (1, "c.png", Some(5)),
            (2, "a.png", None),
            (3, "b.png", Some(1)),
            (4, "d.png", Some(5)),
        ];
        let mut keys: Vec<OrderKey> = images
            .iter()
            .map(|(id, name, seed)| OrderKey::new(order, salt, *id, name, *seed))
            .collect();
        keys.sort();
        keys.into_iter().map(|k| k.id).collect()
    }

    #[test]
    fn file_and_seed_orders_sort_as_people_expect() {
        assert_eq!(sorted(ReviewOrder::File, 0), vec![2, 3, 1, 4]);
        assert_eq!(sorted(ReviewOrder::Seed, 0), vec![2, 3, 1, 4]);
    }

    #[test]
    fn a_random_order_is_stable_for_a_salt_and_changes_with_it() {
        let first = sorted(ReviewOrder::Random, 7);
        assert_eq!(first, sorted(ReviewOrder::Random, 7));
        let others: Vec<Vec<i32>> = (0..20).map(|s| sorted(ReviewOrder::Random, s)).collect();
        assert!(others.iter().any(|o| *o != first), "the salt shuffles");
    }

    #[test]
    fn orders_parse_with_a_message_that_names_them() {
        assert_eq!(ReviewOrder::parse("seed"), Ok(ReviewOrder::Seed));
        assert!(
            ReviewOrder::parse("size")
                .unwrap_err()
                .contains("file, seed, random, likely_ko or uncertain")
        );
    }
}
