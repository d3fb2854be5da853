//! AWS's regions, by partition: what `unknown-region` compares ARN regions and region-valued
//! condition keys with.
//!
//! Source: botocore 1.43.11, `botocore/data/partitions.json` (AWS's own SDK data: each
//! partition's `regions`, without the `aws-global`-style pseudo-regions, which no ARN or
//! `aws:RequestedRegion` holds). AWS opens regions a few times a year: refresh this table from
//! a newer botocore (`pip install botocore`, then print `sorted(p["regions"])` for each entry
//! of `partitions` in that file, leaving out names ending in `-global`), and update `SOURCE`.
//! Until then a region opened since reads as unknown, which is why the rule is a warning.

/// Each partition with its regions, sorted.
pub(crate) const REGIONS: &[(&str, &[&str])] = &[
    (
        "aws",
        &[
            "af-south-1",
            "ap-east-1",
            "ap-east-2",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-6",
            "ap-southeast-7",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "mx-central-1",
            "sa-east-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
        ],
    ),
    ("aws-cn", &["cn-north-1", "cn-northwest-1"]),
    ("aws-us-gov", &["us-gov-east-1", "us-gov-west-1"]),
    ("aws-iso", &["us-iso-east-1", "us-iso-west-1"]),
    ("aws-iso-b", &["us-isob-east-1", "us-isob-west-1"]),
    ("aws-iso-e", &["eu-isoe-west-1"]),
    ("aws-iso-f", &["us-isof-east-1", "us-isof-south-1"]),
    ("aws-eusc", &["eusc-de-east-1"]),
];

/// The data's version, for messages.
pub(crate) const SOURCE: &str = "botocore 1.43.11";

/// The partition `region` belongs to, when it is a known region.
pub(crate) fn partition_of(region: &str) -> Option<&'static str> {
    REGIONS
        .iter()
        .find(|(_, regions)| regions.binary_search(&region).is_ok())
        .map(|&(partition, _)| partition)
}

/// The regions of `partition`, when it is a known partition.
pub(crate) fn regions_of(partition: &str) -> Option<&'static [&'static str]> {
    REGIONS
        .iter()
        .find(|&&(name, _)| name == partition)
        .map(|&(_, regions)| regions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::arn::{PARTITIONS, is_region};

    #[test]
    fn every_partition_has_its_regions_sorted_and_well_formed() {
        let names: Vec<&str> = REGIONS.iter().map(|&(p, _)| p).collect();
        assert_eq!(names, PARTITIONS, "the same partitions as the ARN rules");
        for (partition, regions) in REGIONS {
            assert!(!regions.is_empty(), "{partition}");
            assert!(regions.windows(2).all(|w| w[0] < w[1]), "{partition}");
            assert!(regions.iter().all(|r| is_region(r)), "{partition}");
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(partition_of("eu-west-1"), Some("aws"));
        assert_eq!(partition_of("cn-north-1"), Some("aws-cn"));
        assert_eq!(partition_of("us-gov-west-1"), Some("aws-us-gov"));
        assert_eq!(partition_of("eu-west-9"), None);
        assert_eq!(partition_of("aws-global"), None);
        assert!(regions_of("aws-iso-b").is_some_and(|r| r.contains(&"us-isob-east-1")));
        assert_eq!(regions_of("amazon"), None);
    }
}
