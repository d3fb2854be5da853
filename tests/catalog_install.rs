//! A catalogue decoded at run time and installed, as a cached one from `catalog update` is. Its own test
//! binary, because installing changes the catalogue of the whole process.

use iam_policy_lsp::analysis::{Options, analyze};
use iam_policy_lsp::catalog::{self, Catalog, ImageError};

/// The codes of the findings on a policy that allows `actions`.
fn codes(actions: &[&str]) -> Vec<String> {
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": {}, "Resource": "*"}}]}}"#,
        serde_json::to_string(actions).expect("json")
    );
    analyze(&text, &Options::default())
        .findings
        .iter()
        .map(|f| format!("{} {}", f.code.as_str(), &text[f.range.as_usize()]))
        .collect()
}

#[test]
fn an_installed_catalogue_answers_every_later_analysis() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut model = catalog_format::Model::read(&data).expect("data/*.tsv");
    // A service AWS added (its prefix sorts first), and an action it dropped.
    let service = catalog_format::Service {
        prefix: "aaa-new".into(),
        name: "A New Service".into(),
    };
    let action = catalog_format::Action {
        prefix: "aaa-new".into(),
        name: "DoThing".into(),
        level: "Write".into(),
        resource_types: Vec::new(),
        condition_keys: Vec::new(),
        dependent_actions: Vec::new(),
    };
    let first = |prefix: &str| prefix < "aaa-new";
    let at = model.services.partition_point(|s| first(&s.prefix));
    model.services.insert(at, service);
    let at = model.actions.partition_point(|a| first(&a.prefix));
    model.actions.insert(at, action);
    model
        .actions
        .retain(|a| !(a.prefix == "s3" && a.name == "GetObject"));
    model.info.data_version = "a later catalogue".into();
    model.validate().expect("consistent");
    let image: &'static [u8] = catalog_format::image::write(&model)
        .expect("encodes")
        .leak();

    // Bad images are errors, never installed.
    assert_eq!(
        Catalog::from_image(&image[..image.len() / 2]).err(),
        Some(ImageError::Truncated)
    );
    let mut corrupted = image.to_vec();
    corrupted[image.len() / 3] ^= 1;
    assert_eq!(
        Catalog::from_image(corrupted.leak()).err(),
        Some(ImageError::Corrupted)
    );

    let before = catalog::current();
    assert_eq!(
        codes(&["aaa-new:DoThing", "s3:GetObject"]),
        ["unknown-service \"aaa-new:DoThing\""]
    );
    let embedded_s3 = catalog::action("s3", "GetObject").expect("embedded");

    let installed = catalog::install(Catalog::from_image(image).expect("decodes"));
    assert!(std::ptr::eq(catalog::current(), installed));
    assert_eq!(catalog::data_version(), "a later catalogue");
    // An action the embedded catalogue has and the installed one lacks: AWS removed it.
    assert_eq!(
        codes(&["aaa-new:DoThing", "s3:GetObject"]),
        ["removed-action \"s3:GetObject\""]
    );
    // What was taken from the previous catalogue still answers from it, and never equals a
    // handle of the new one.
    assert_eq!(embedded_s3.to_string(), "s3:GetObject");
    assert_eq!(before.action("s3", "getobject"), Some(embedded_s3));
    assert_eq!(installed.action("s3", "getobject"), None);
    let s3_before = before.service("s3").expect("s3");
    let s3_now = installed.service("s3").expect("s3");
    assert_eq!(s3_before.to_string(), s3_now.to_string());
    assert_ne!(s3_before, s3_now);
}
