use super::*;
use crate::{Action, ConditionKey, Info, Model, ResourceType, Service};

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

/// Two services with actions, keys and resource types: every table of the image non-empty.
fn model() -> Model {
    let service = |prefix: &str, name: &str| Service {
        prefix: prefix.into(),
        name: name.into(),
    };
    let action =
        |prefix: &str, name: &str, level: &str, rts: &[(&str, bool)], keys: &[&str]| Action {
            prefix: prefix.into(),
            name: name.into(),
            level: level.into(),
            resource_types: rts.iter().map(|(n, r)| (n.to_string(), *r)).collect(),
            condition_keys: strings(keys),
            dependent_actions: if name == "PutObject" {
                strings(&["s3:GetObject"])
            } else {
                Vec::new()
            },
        };
    let key = |prefix: &str, key: &str, ty: &str| ConditionKey {
        prefix: prefix.into(),
        key: key.into(),
        ty: ty.into(),
    };
    Model {
        info: Info {
            data_version: "test data".into(),
            ..Info::default()
        },
        services: vec![service("s3", "Amazon S3"), service("support", "")],
        actions: vec![
            action(
                "s3",
                "GetObject",
                "Read",
                &[("object", true)],
                &["s3:ExistingObjectTag/<key>"],
            ),
            action(
                "s3",
                "ListBucket",
                "List",
                &[("bucket", true)],
                &["s3:prefix"],
            ),
            action(
                "s3",
                "PutObject",
                "Write",
                &[("object", true)],
                &["s3:ExistingObjectTag/<key>"],
            ),
            action("support", "DescribeCases", "Read", &[], &[]),
        ],
        resource_types: vec![
            ResourceType {
                prefix: "s3".into(),
                name: "bucket".into(),
                arn: "arn:${Partition}:s3:::${BucketName}".into(),
                condition_keys: Vec::new(),
            },
            ResourceType {
                prefix: "s3".into(),
                name: "object".into(),
                arn: "arn:${Partition}:s3:::${BucketName}/${ObjectName}".into(),
                condition_keys: strings(&["s3:ExistingObjectTag/<key>"]),
            },
        ],
        condition_keys: vec![
            key("s3", "s3:ExistingObjectTag/<key>", "String"),
            key("s3", "s3:prefix", "ArrayOfString"),
        ],
        ..Model::default()
    }
}

#[test]
fn an_image_reads_back_as_its_model() {
    let image = write(&model()).expect("writes");
    let t = read(&image).expect("reads");
    let names: Vec<&str> = t.actions.iter().map(|a| a.name.text(t.strings)).collect();
    assert_eq!(
        names,
        ["GetObject", "ListBucket", "PutObject", "DescribeCases"]
    );
    assert_eq!(t.services[0].actions, (0, 3));
    assert_eq!(t.services[1].actions, (3, 4));
    assert_eq!(t.services[1].keys, (2, 2));
    assert_eq!(t.actions[3].service, 1);
    assert_eq!(t.actions[2].level, 2, "Write");
    let full = Str {
        offset: t.actions[0].name.offset - 3,
        len: t.actions[0].name.len + 3,
    };
    assert_eq!(full.text(t.strings), "s3:GetObject");
    let object = t.resource_type_lists.get(t.actions[0].resource_types);
    assert_eq!(object, [1 | REQUIRED]);
    assert_eq!(t.key_lists.get(t.resource_types[1].keys), [0]);
    assert_eq!(t.condition_keys[1].value_type, 0x10);
    assert_eq!(t.template_keys, [0]);
    assert_eq!(t.key_index, [0, 1]);
    let dependent: Vec<(u32, Vec<&str>)> = t
        .dependent_actions
        .iter()
        .map(|(a, names)| (*a, names.iter().map(|n| n.text(t.strings)).collect()))
        .collect();
    assert_eq!(dependent, [(2, vec!["s3:GetObject"])]);
    let info: Vec<(&str, &str)> = t
        .info
        .iter()
        .map(|(k, v)| (k.text(t.strings), v.text(t.strings)))
        .collect();
    assert_eq!(info[0], ("data_version", "test data"));
}

#[test]
fn every_truncation_is_an_error() {
    let image = write(&model()).expect("writes");
    for len in 0..image.len() {
        assert!(read(&image[..len]).is_err(), "{len} bytes");
    }
    let mut longer = image.clone();
    longer.push(0);
    assert_eq!(read(&longer), Err(ImageError::Corrupted));
}

#[test]
fn every_flipped_bit_is_an_error() {
    let image = write(&model()).expect("writes");
    for at in 0..image.len() {
        for bit in 0..8 {
            let mut bad = image.clone();
            bad[at] ^= 1 << bit;
            assert!(read(&bad).is_err(), "byte {at} bit {bit}");
        }
    }
}

/// Rewrites the checksum, so that the tables themselves are what `read` checks.
fn resealed(mut image: Vec<u8>) -> Vec<u8> {
    let sum = checksum(&image[HEADER_LEN..]);
    image[16..24].copy_from_slice(&sum.to_le_bytes());
    image
}

#[test]
fn inconsistent_tables_are_errors_even_with_a_good_checksum() {
    let image = write(&model()).expect("writes");
    let mut refused = 0;
    for at in HEADER_LEN..image.len() {
        let mut bad = image.clone();
        bad[at] = bad[at].wrapping_add(1);
        match read(&resealed(bad)).and_then(|t| verify(&t).map(|()| t)) {
            Err(_) => refused += 1,
            // A byte that names nothing checked (a name's letters, most of the info)
            // may change without making the image inconsistent.
            Ok(tables) => assert_ne!(tables, read(&image).expect("reads")),
        }
    }
    assert!(refused > 0);
    let mut version = image.clone();
    version[8] = 2;
    assert_eq!(read(&version), Err(ImageError::UnsupportedVersion(2)));
    assert_eq!(
        read(b"not an image at all, no"),
        Err(ImageError::NotAnImage)
    );
}

#[test]
fn unsorted_tables_are_never_written() {
    let mut m = model();
    m.actions.swap(0, 1);
    let refused = write(&m).expect_err("refused");
    assert!(refused.contains("actions"), "{refused}");
}
