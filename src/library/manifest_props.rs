//! Properties of the manifest reader: no panic on any bytes or any JSON, and every field of a
//! manifest comes through: the snapshot, each image entry and the other top-level keys.

use proptest::prelude::*;
use serde_json::{Map, Value};

use super::*;

/// Any JSON without floats (whose text form may not round-trip exactly).
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-z é日]{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn object() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map("[a-z_]{1,10}", json(), 0..5).prop_map(|m| m.into_iter().collect())
}

/// An image entry: a filename and any other fields, known ones included with any type.
fn entry() -> impl Strategy<Value = Value> {
    (
        "[a-z0-9_]{1,12}\\.png",
        object(),
        proptest::option::of(json()),
        proptest::option::of(json()),
    )
        .prop_map(|(filename, mut fields, seed, variations)| {
            fields.insert("filename".into(), Value::from(filename));
            if let Some(seed) = seed {
                fields.insert("seed".into(), seed);
            }
            if let Some(variations) = variations {
                fields.insert("applied_variations".into(), variations);
            }
            Value::Object(fields)
        })
}

proptest! {
    #![proptest_config(crate::proptest_config::with_cases(256))]

    #[test]
    fn any_bytes_and_any_json_parse_without_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..256),
        value in json(),
    ) {
        let _ = Manifest::parse(&bytes);
        let _ = Manifest::parse(value.to_string().as_bytes());
    }

    #[test]
    fn every_field_of_a_manifest_comes_through(
        snapshot in object(),
        images in prop::collection::vec(entry(), 0..5),
        extra in object(),
    ) {
        let mut root = extra.clone();
        root.remove("snapshot");
        root.remove("images");
        let expected_extra = root.clone();
        root.insert("snapshot".into(), Value::Object(snapshot.clone()));
        root.insert("images".into(), Value::Array(images.clone()));
        let manifest = Manifest::parse(Value::Object(root).to_string().as_bytes())
            .map_err(TestCaseError::fail)?;
        prop_assert_eq!(&manifest.snapshot, &snapshot);
        prop_assert_eq!(&manifest.extra, &expected_extra);
        let raws: Vec<&Value> = manifest.images.iter().map(|image| &image.raw).collect();
        prop_assert_eq!(raws, images.iter().collect::<Vec<_>>());
        for (image, written) in manifest.images.iter().zip(&images) {
            prop_assert_eq!(Some(image.filename.as_str()), written["filename"].as_str());
            let applied = written["applied_variations"].as_object().map_or(0, Map::len);
            prop_assert_eq!(image.variations.len(), applied);
        }
    }
}
