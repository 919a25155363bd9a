use super::*;

fn found(hay: &str) -> Vec<String> {
    let d = CommandLineConfig::default().build().unwrap();
    let mut out = vec![];
    d.find(&Input::new(hay.as_bytes()), &mut out);
    out.sort_by_key(|m| (m.span.start, m.span.end));
    out.dedup_by_key(|m| m.span);
    out.iter().map(|m| hay[m.span.start..m.span.end].to_string()).collect()
}

#[test]
fn passwords_on_command_lines() {
    for (hay, want) in [
        ("mysql -uroot -pHunter2 -h db", "Hunter2"),
        ("/usr/bin/mysqldump -u bk -p'S3cr3t pw' shop", "S3cr3t pw"),
        ("MARIADB.EXE -pWinPass1", "WinPass1"),
        ("docker exec db mysqladmin -uroot -pr00tpw status", "r00tpw"),
        ("curl -u admin:SuperSecret123 https://api.example.com", "SuperSecret123"),
        ("curl --user=admin:SuperSecret123 https://x", "SuperSecret123"),
        ("curl -s -uadmin:pw12345 https://x", "pw12345"),
        ("curl -U proxy:Pr0xyPass -x http://p:3128 https://x", "Pr0xyPass"),
        ("redis-cli -h cache -a Sekrit99 ping", "Sekrit99"),
        ("redis-cli -h cache AUTH default Sekrit99", "Sekrit99"),
        (r#"1339518083.107412 [0 127.0.0.1:60866] "AUTH" "foobared""#, "foobared"),
        ("REDISCLI_AUTH=Sekrit99 redis-cli ping", "Sekrit99"),
        ("sshpass -p 'pa ss' ssh deploy@host", "pa ss"),
        ("ldapsearch -x -D cn=admin -w LdapPw1 -b dc=x", "LdapPw1"),
        ("ipmitool -I lanplus -H bmc -U admin -P IpmiPw9 power status", "IpmiPw9"),
        ("smbclient //srv/share -U alice%SmbPass1", "SmbPass1"),
        ("keytool -list -keystore ks.jks -storepass changeit1", "changeit1"),
        ("openssl pkcs12 -export -passout pass:P12pass -out a.p12", "P12pass"),
        ("mongosh mongodb://db -u admin -p MongoPw1", "MongoPw1"),
        ("ls; mysql -pAfterSemicolon", "AfterSemicolon"),
        (
            "aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ),
        ("aws configure set --profile prod aws_session_token FQoGZXIvYXdzE1", "FQoGZXIvYXdzE1"),
        ("CONFIG SET requirepass Sekrit99", "Sekrit99"),
        ("git config --global github.token ghxyzabc123456", "ghxyzabc123456"),
        ("npm config set //registry.npmjs.org/:_authToken npmTok123", "npmTok123"),
    ] {
        assert_eq!(found(hay), vec![want], "{hay}");
    }
}

#[test]
fn passwords_in_sql() {
    for (hay, want) in [
        (r#"ALTER ROLE "app" WITH PASSWORD 'S3cr3tPassw0rd'"#, "S3cr3tPassw0rd"),
        ("CREATE USER app WITH ENCRYPTED PASSWORD 'md5abc123'", "md5abc123"),
        ("create role x login password 'it''s me'", "it''s me"),
        ("mysqld: CREATE USER 'bob'@'%' IDENTIFIED BY 'Tr0ub4dor&3'", "Tr0ub4dor&3"),
        (
            "ALTER USER 'bob'@'localhost' IDENTIFIED WITH mysql_native_password BY 'n3w'",
            "n3w",
        ),
        (
            "CREATE USER 'u'@'%' IDENTIFIED BY PASSWORD '*6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9'",
            "*6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9",
        ),
        ("GRANT ALL ON db.* TO 'bob'@'%' IDENTIFIED BY 'gr4nted'", "gr4nted"),
        ("ALTER USER scott IDENTIFIED BY tiger", "tiger"),
        ("SET PASSWORD FOR 'bob'@'%' = PASSWORD('n3wPass')", "n3wPass"),
        ("SET PASSWORD FOR 'bob'@'%' = 'n3wPass'", "n3wPass"),
        ("SET PASSWORD = 'n3wPass'", "n3wPass"),
        ("CREATE LOGIN app WITH PASSWORD = 'MsSqlPw1'", "MsSqlPw1"),
        (
            "2024-05-01 10:00:00 UTC [42] LOG:  statement: ALTER USER app PASSWORD 'pgpw'",
            "pgpw",
        ),
        (r#"select 1; CREATE USER 'a'@'h' IDENTIFIED BY "dq""#, "dq"),
    ] {
        assert_eq!(found(hay), vec![want], "{hay}");
    }
    // Both of SQL Server's passwords.
    assert_eq!(
        found("ALTER LOGIN app WITH PASSWORD = 'New1' OLD_PASSWORD = 'Old1'"),
        vec!["New1", "Old1"]
    );
}

#[test]
fn not_passwords() {
    for hay in [
        "ssh -p 2222 deploy@host",
        "docker run -p 8080:80 nginx",
        "kubectl port-forward svc/db -p 5432",
        "mysql -u root -p",
        "mysql -u root -p shop",
        "mysql -P3306 -h db",
        "mysql -p$MYSQL_PWD shop",
        "mysql -p\"${DB_PASS}\" shop",
        "mysql -p%s",
        "mysql -p**** shop",
        "curl -u admin https://x",
        "curl -s https://api.example.com -H 'Accept: json'",
        "redis-cli -a",
        "sshpass -e ssh host",
        "openssl pkcs12 -passin env:P12_PASS -in a.p12",
        "keytool -storepass:env STOREPASS -list",
        "aws configure set region us-east-1",
        "git config --global user.name Jane",
        "git config --global --unset github.token",
        "CONFIG SET maxmemory 2gb",
        "password was reset for bob",
        "Failed password for invalid user admin from 10.0.0.1",
        "user identified by the scanner 'x'",
        "ALTER ROLE app WITH PASSWORD NULL",
        "ALTER ROLE app WITH PASSWORD ''",
        "CREATE USER app PASSWORD '****'",
        "ALTER USER 'bob'@'%' IDENTIFIED WITH caching_sha2_password",
        "ALTER USER bob PASSWORD EXPIRE",
        "CREATE TABLE users (password text); INSERT INTO t VALUES ('x')",
        "select 'password ' || 'abc'",
        "the mysql client said: access denied",
    ] {
        assert!(found(hay).is_empty(), "{hay}: {:?}", found(hay));
    }
}

#[test]
fn placeholders() {
    for v in ["$DB_PASS", "${DB_PASS}", "$(cat /run/pw)", "%s", "%(pw)s"] {
        assert!(stands_for_secret(v.as_bytes()), "{v}");
    }
    for v in ["{{ .Password }}", "<password>", "?", "****", "xxxx"] {
        assert!(stands_for_secret(v.as_bytes()), "{v}");
    }
    for v in ["$2y$10$abcdef", "hunter2", "%dx", "<a>b", "s3cr3t"] {
        assert!(!stands_for_secret(v.as_bytes()), "{v}");
    }
}

#[test]
fn extra_tools_and_bad_ones() {
    let tool = |names: &[&str], value: &[&str]| ToolRule {
        names: names.iter().map(|s| s.to_string()).collect(),
        value: value.iter().map(|s| s.to_string()).collect(),
        ..ToolRule::default()
    };
    let d = CommandLineConfig {
        extra_tools: vec![tool(&["vaultcli"], &["-k"])],
        ..CommandLineConfig::default()
    }
    .build()
    .unwrap();
    let mut out = vec![];
    d.find(&Input::new(b"vaultcli -k Kpass99"), &mut out);
    assert_eq!(out.len(), 1);
    assert!(d.triggers().literals.contains(&"vaultcli".to_string()));
    for bad in
        [tool(&["x"], &["k"]), tool(&["x"], &[]), tool(&["a b"], &["-k"])]
    {
        let e = CommandLineConfig {
            extra_tools: vec![bad],
            ..CommandLineConfig::default()
        }
        .build()
        .unwrap_err();
        assert!(e.to_string().starts_with("extra_tools[0]."), "{e}");
    }
}
