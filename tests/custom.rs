//! The custom-detector example, run as a test.

#[allow(dead_code)]
#[path = "../examples/custom_detector.rs"]
mod example;

mod run {
    use super::example::{redact, EmployeeIdConfig, CONFIG};

    #[test]
    fn third_party_type_is_configured_from_toml() {
        let out = redact(&[
            "badge scan EMP-004217 at door 3",
            "EMP-004217 refunded card 4111 1111 1111 1111",
            "EMP-12 is not six digits",
        ])
        .unwrap();
        assert!(out[0].starts_with("badge scan EMP-sha256:"), "{}", out[0]);
        assert!(!out[0].contains("004217"));
        // The same id hashes the same on every line.
        let h0 = &out[0][15..34];
        assert!(out[1].contains(h0), "{} / {}", out[0], out[1]);
        // Built-in detectors still run beside it.
        assert!(out[1].ends_with("**** **** **** 1111"), "{}", out[1]);
        assert_eq!(out[2], "EMP-12 is not six digits");
    }

    #[test]
    fn unknown_type_names_the_key() {
        let e =
            logredact::Config::from_toml(CONFIG).unwrap().build().unwrap_err();
        assert_eq!(e.path(), Some("detectors.staff.type"));
    }

    #[test]
    fn bad_option_names_the_key() {
        let mut registry = logredact::Registry::default();
        registry.register::<EmployeeIdConfig>();
        let cfg = "[detectors.staff]\ntype = \"employee_id\"\ndigits = 0\n";
        let e = logredact::Config::from_toml(cfg)
            .unwrap()
            .build_with(&registry)
            .unwrap_err();
        assert_eq!(e.path(), Some("detectors.staff.digits"));
        let cfg = "[detectors.staff]\ntype = \"employee_id\"\ndigitz = 6\n";
        let e = logredact::Config::from_toml(cfg)
            .unwrap()
            .build_with(&registry)
            .unwrap_err();
        assert!(e.to_string().contains("digitz"), "{e}");
    }
}

/// Per-type mask policy (`DetectorConfig::constrain_mask`): a rule of
/// the built-in types, not of their names.
mod mask_policy {
    use logredact::detect::{Detector, DetectorConfig, Input, Registry};
    use logredact::mask::MaskKind;
    use logredact::{Config, Error, Match};
    use serde::Deserialize;

    const KEY: &str = "[hmac]\nkey_file = \"tests/data/cases/hmac.key\"\n";

    fn redact(registry: &Registry, toml: &str, line: &str) -> String {
        let engine =
            Config::from_toml(toml).unwrap().build_with(registry).unwrap();
        String::from_utf8(engine.redact(line.as_bytes()).into_owned()).unwrap()
    }

    #[test]
    fn cvv_is_always_masked_in_full() {
        let toml = "[detectors.cvv]\ntype = \"cvv\"\nmask = \"last4\"\n";
        let out = redact(&Registry::default(), toml, "cvv=123");
        assert_eq!(out, "cvv=[REDACTED:cvv]");
    }

    #[test]
    fn card_and_bank_hashes_are_keyed_when_a_key_is_set() {
        let card = "[detectors.card]\ntype = \"card\"\nmask = \"sha256\"\n";
        let r = Registry::default();
        let out = redact(&r, &format!("{KEY}{card}"), "4111111111111111");
        assert!(out.starts_with("hmac:"), "{out}");
        // Without a key, the configured sha256 stays.
        let out = redact(&r, card, "4111111111111111");
        assert!(out.starts_with("sha256:"), "{out}");
        let bank = "[detectors.bank]\ntype = \"bank\"\nmask = \"sha256\"\n";
        let out =
            redact(&r, &format!("{KEY}{bank}"), "DE89370400440532013000");
        assert!(out.starts_with("hmac:"), "{out}");
        // Other types keep sha256 even with a key.
        let tok = "[detectors.token]\ntype = \"token\"\nmask = \"sha256\"\n";
        let out = redact(&r, &format!("{KEY}{tok}"), "password=hunter2abc");
        assert!(out.starts_with("password=sha256:"), "{out}");
    }

    /// A third-party detector that takes the name `cvv`.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct PinConfig {}

    impl DetectorConfig for PinConfig {
        const TYPE: &'static str = "cvv";
        fn default_mask() -> MaskKind {
            MaskKind::Last4
        }
        fn build(self) -> Result<Box<dyn Detector>, Error> {
            Ok(Box::new(Pin))
        }
    }

    /// Finds `pin:` and the 8 digits after it.
    #[derive(Debug)]
    struct Pin;

    impl Detector for Pin {
        fn kind(&self) -> &str {
            "pin"
        }
        fn find(&self, input: &Input<'_>, out: &mut Vec<Match>) {
            if let Some(i) = input.hay.windows(4).position(|w| w == b"pin:") {
                let end = (i + 12).min(input.hay.len());
                out.push(Match::new(i + 4..end));
            }
        }
    }

    #[test]
    fn a_third_party_cvv_type_does_not_inherit_the_cvv_rule() {
        let mut r = Registry::default();
        r.register::<PinConfig>();
        let toml = "defaults = false\n[detectors.pin]\ntype = \"cvv\"\n\
                    mask = \"last4\"\n";
        assert_eq!(redact(&r, toml, "pin:12345678"), "pin:****5678");
        // Its default mask is its own too.
        let toml = "defaults = false\n[detectors.pin]\ntype = \"cvv\"\n";
        assert_eq!(redact(&r, toml, "pin:12345678"), "pin:****5678");
    }
}

/// An engine configured in code: the builder's setters chain, one builder
/// builds many engines, and values out of range are errors, not clamps.
mod builder {
    use logredact::detect::regex::RegexConfig;
    use logredact::keyrules::KeyRules;
    use logredact::{DetectorConfig, Engine, Mask};

    fn tickets() -> Box<dyn logredact::Detector> {
        RegexConfig {
            name: "ticket".into(),
            pattern: "TKT-[0-9]{6}".into(),
            case_insensitive: false,
        }
        .build()
        .unwrap()
    }

    #[test]
    fn one_builder_builds_many_engines() {
        let mut b = Engine::builder();
        b.detector_with_mask("t", tickets(), Mask::full("ticket"));
        let (one, two) = (b.build().unwrap(), b.build().unwrap());
        for e in [one, two] {
            assert_eq!(e.len(), 1);
            assert_eq!(
                &e.redact(b"TKT-123456 ok")[..],
                b"[REDACTED:ticket] ok"
            );
        }
        // Adding to the builder leaves engines already built alone.
        b.detector_with_mask("t2", tickets(), Mask::full("ticket"));
        assert_eq!(b.build().unwrap().len(), 2);
    }

    #[test]
    fn max_line_len_under_4096_is_an_error() {
        let e = Engine::builder().max_line_len(4095).build().unwrap_err();
        assert_eq!(e.path(), Some("max_line_len"));
        assert_eq!(e.to_string(), "max_line_len: must be at least 4096");
        let ok = Engine::builder().max_line_len(4096).build().unwrap();
        assert_eq!(ok.max_line_len(), 4096);
    }

    #[test]
    fn a_key_rule_needs_its_detector() {
        let rules = KeyRules::new(std::iter::empty(), [("ticket_id", 1)]);
        let mut b = Engine::builder();
        b.detector_with_mask("t", tickets(), Mask::full("ticket"));
        let e = b.key_rules(rules.clone()).build().unwrap_err();
        assert_eq!(e.path(), Some("keys"));
        // With a second detector, index 1 exists and masks the key.
        b.detector_with_mask("t2", tickets(), Mask::full("ticket2"));
        let engine = b.build().unwrap();
        assert_eq!(
            &engine.redact(br#"{"ticket_id":"abc","n":1}"#)[..],
            br#"{"ticket_id":"[REDACTED:ticket2]","n":1}"#
        );
    }
}
