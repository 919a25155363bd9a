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
