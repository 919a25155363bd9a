#!/usr/bin/env python3
"""Regenerate the person-name detector data in patterns/names/.

Outputs (written next to this script):
    given.txt         given (first) names, "John" capitalisation
    surnames.txt      family names, "Smith" capitalisation
    common-words.txt  lowercase stop list of ordinary English / log words

Sources and how to fetch them (Python 3.11, stdlib only; nothing is imported
from the fetched packages, their data files are only read):

    # 1990 US Census name files (public domain), shipped inside the MIT-licensed
    # PyPI sdist `names` 0.3.0 as names/dist.male.first, names/dist.female.first
    # and names/dist.all.last.  The tarball is read directly; no install needed.
    pip download --no-deps --no-binary :all: -d /tmp/names-sdist names==0.3.0

    # SCOWL word lists (Spell-Checker Oriented Word Lists, Kevin Atkinson;
    # permissive MIT-style licence), Debian package `scowl` 2020.12.07-2,
    # installed under /usr/share/dict/scowl/.
    apt-get update && apt-get install -y scowl

Then:

    python3 patterns/names/gen.py --names-sdist /tmp/names-sdist/names-0.3.0.tar.gz

(`--names-sdist` may also be omitted when the `names` package is installed
with pip, or be a directory holding the three dist.* files.)

The output is deterministic: the same inputs give the same bytes.  The SHA-256
of each input file is checked so that a different upstream file is noticed.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import re
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------

CENSUS_FILES = {
    "dist.male.first": "0a5078ef6effe3b483d15b0f7f95047662126c9bfb624ecd5e5b978fc0f2470b",
    "dist.female.first": "bd2f310fc4e5d5e5ea122c9d4342c9821145823118eb20db1647f305ec77b358",
    "dist.all.last": "b0e2b3743ccbad641ca48b344c24cdebcd1d9a1f76dc6dbf05986f2919f0b4e1",
}

SCOWL_DIR = "/usr/share/dict/scowl"
# SCOWL size levels 10 and 20 = the most common English words (SCOWL's level
# 10 is built from the 1,000 most common words of Moby Words II and Kelk's
# frequency class 16; level 20 adds the next most common).  english-* holds
# the spellings shared by all variants, american-* the US-only spellings.
SCOWL_FILES = [
    "english-words.10",
    "english-words.20",
    "american-words.10",
    "american-words.20",
]

# --------------------------------------------------------------------------
# Filtering parameters (documented in patterns/README.md)
# --------------------------------------------------------------------------

MIN_LEN = 2                # drop names / words shorter than this
SURNAME_LIMIT = None       # None = keep all 88,799 census surnames
TOP_SURNAMES_KEPT_OUT = 2000   # these surnames are removed from the stop list
TOP_GIVEN_KEPT_OUT = 1000      # top-N given names of EACH sex: removed from the stop list

# Software / log vocabulary added to the stop list: ordinary words and tech
# terms that show up Capitalised (or as CamelCase parts) in real logs and are
# not person names.  Hand-written; chosen by looking at which capitalised
# tokens occur in public sample logs (loghub) plus general knowledge.  Words
# that are also among the top given names / surnames are still removed by the
# rule in build_common_words(), so it is harmless to list them here.
LOG_VOCAB = """
monday tuesday wednesday thursday friday saturday sunday
mon tue tues wed thu thur thurs fri sat sun
january february march april may june july august september october november
december jan feb mar apr jun jul aug sep sept oct nov dec
am pm utc gmt cet cest pst pdt est edt ist jst

info information warn warning warnings error errors err debug trace tracing
fatal critical crit notice severe verbose emerg alert ok okay fail failed
failing failure failures success successful successfully succeeded denied
refused rejected forbidden unauthorized unauthorised unauthenticated
authenticated authentication authorization authorisation timeout timeouts
timedout retry retries retrying retried exceeded unavailable invalid unknown
unexpected unrecognized unrecognised unsupported deprecated null nil none
undefined true false yes no enabled disabled enable disable pending queued
running stopped started starting stopping restarting restarted shutdown
startup reboot rebooting booting aborted abort cancelled canceled expired
expiring revoked blocked throttled dropped reset resets resetting
uncaught caught exception exceptions panic panicked crash crashed
assertion traceback stacktrace backtrace deadlock overflow underflow
misconfigured malformed mismatch missing duplicate conflict

http https tcp udp ip ipv4 ipv6 icmp dns tls ssl ssh sftp ftp smtp imap pop3
ldap ldaps ntp dhcp vpn nat proxy proxies proxied reverse gateway gateways
upstream downstream localhost hostname host hosts url urls uri uris api apis
rest grpc rpc websocket websockets json jsonl xml yaml toml csv html css
cors csrf xss jwt jwks jws jwe oauth oauth2 oidc saml sso mfa otp totp hmac
sha sha1 sha256 md5 rsa ecdsa aes cipher ciphers auth authn authz token tokens
cookie cookies header headers payload payloads endpoint endpoints backend
frontend middleware webhook webhooks callback callbacks async sync
handshake keepalive redirect redirected redirects request requests requester
requestor response responses status latency throughput bandwidth
handler handlers listener listeners dispatcher dispatchers executor executors
scheduler schedulers allocator launcher resolver resolvers tracker registry
formatter logger loggers parser parsers decoder encoder codec codecs
validator validators serializer deserializer serialization marshal unmarshal
worker workers runner runners poller pollers fetcher committer renewer
streamer consumer consumers producer producers publisher subscriber
subscription subscriptions broker brokers listener queue queues queueing
topic topics partition partitions offset offsets replica replicas leader
follower quorum election epoch snapshot snapshots snapshotting checkpoint
checkpoints compaction lease leases heartbeat heartbeats namenode datanode
namesystem blockmap xceiver jobtracker tasktracker container containers
pod pods namespace namespaces cluster clusters node nodes shard shards
ingress egress sidecar daemonset deployment deployments statefulset
config configs configuration conf cfg env environment ctx context ctl mgr
impl util utils lib libs sys svc srv srvr conn cnx cxn cnxn sess req reqs
resp res msg msgs tmp temp dir dirs addr addrs param params arg args argv
val var vars len num seq ack nack syn fin rst txn tx rx ref refs id ids
uuid guid pid ppid tid uid gid euid tty pty fd fds inode dentry mmap malloc
alloc dealloc gc oom heap stack mutex semaphore spinlock thread threads
kernel daemon daemons systemd journald cron crond anacron sshd syslog rsyslog
init initd udev dbus polkit sudo su pam selinux apparmor iptables nftables
netfilter firewall firewalld conntrack kmod modprobe grub bios uefi acpi
irq cpu cpus gpu gpus ram ssd hdd nvme sata scsi raid lvm usb pci pcie nic
eth wlan wifi bluetooth thunderbolt ethernet mtu mac macs dmesg tmpfs
ext ext3 ext4 xfs btrfs zfs nfs smb cifs fuse mount mounts mounted unmounted
filesystem filesystems partition disk disks volume volumes
java hotspot jvm jdk jre openjdk javac kotlin scala groovy python pip
golang goroutine rust cargo node nodejs npm yarn deno typescript javascript
ruby rails php perl lua dotnet csharp clang gcc llvm glibc musl
linux unix posix windows macos osx darwin android ios ubuntu debian centos
redhat rhel fedora alpine freebsd openbsd
docker dockerd containerd kubernetes kubelet kubectl helm k8s k3s nginx apache
httpd tomcat jetty netty undertow spring springboot hibernate kafka zookeeper
hadoop hdfs mapreduce hive hbase spark flink storm airflow celery rabbitmq
amqp mqtt nats redis memcached postgres postgresql psql mysql mariadb sqlite
oracle mssql mongodb mongo cassandra couchdb dynamodb elasticsearch
opensearch kibana logstash fluentd fluentbit grafana prometheus alertmanager
jaeger zipkin opentelemetry consul vault etcd envoy istio linkerd haproxy
traefik openstack nova neutron keystone glance cinder horizon heat swift
terraform ansible puppet chef jenkins gitlab github bitbucket git svn
aws azure gcp gke eks aks ec2 s3 iam lambda cloudfront cloudwatch
google microsoft amazon apple intel amd nvidia cisco broadcom qualcomm
chrome chromium firefox safari mozilla webkit edge opera dropbox skype
adobe acrobat slack zoom teams outlook exchange office sharepoint
stripe paypal braintree adyen visa mastercard amex discover maestro
unionpay jcb diners iban swift bic sepa ach cvv cvc pan avs 3ds

access service services reset connection connections customer customers
valued order orders error manager managers admin administrator user users
username account accounts password passwords passphrase credential
credentials secret secrets key keys keystore truststore keychain certificate
certificates cert certs signature signatures signed unsigned verify verified
verification honor honour decline declined insufficient funds chargeback
refund refunds payment payments invoice invoices billing checkout cart
subscription merchant issuer acquirer cardholder transaction transactions
deadline internal external server servers client clients gateway bad
"""

# --------------------------------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_census(src: str | None) -> dict[str, bytes]:
    """Return {filename: bytes} for the three census files."""
    if src is None:
        spec = importlib.util.find_spec("names")
        if spec is None or not spec.submodule_search_locations:
            sys.exit("gen.py: pass --names-sdist (see the header of this file)")
        src = list(spec.submodule_search_locations)[0]
    out: dict[str, bytes] = {}
    if os.path.isdir(src):
        for name in CENSUS_FILES:
            with open(os.path.join(src, name), "rb") as f:
                out[name] = f.read()
    else:
        with tarfile.open(src, "r:*") as tar:
            for member in tar.getmembers():
                base = os.path.basename(member.name)
                if base in CENSUS_FILES and member.isfile():
                    out[base] = tar.extractfile(member).read()
    for name, digest in CENSUS_FILES.items():
        if name not in out:
            sys.exit(f"gen.py: {name} not found in {src}")
        if sha256(out[name]) != digest:
            sys.exit(f"gen.py: {name} has an unexpected SHA-256 (upstream changed?)")
    return out


def parse_census(data: bytes) -> list[tuple[str, float, int]]:
    """Rows of (NAME, percent, rank) in file order."""
    rows = []
    for line in data.decode("ascii").splitlines():
        parts = line.split()
        if len(parts) != 4:
            continue
        name, pct, _cum, rank = parts
        rows.append((name, float(pct), int(rank)))
    return rows


def cap(name: str) -> str:
    """'SMITH' -> 'smith' (the census files are A-Z only, no punctuation).

    Lowercase, like the stop list: the detector looks words up by
    their lowercase form in the sorted lists, with no copy at load.
    """
    return name.lower()


def header(lines: list[str]) -> str:
    return "".join(f"# {l}\n" if l else "#\n" for l in lines)


def write(path: str, head: list[str], items: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(header(head))
        for it in items:
            f.write(it + "\n")


def build_given(male, female):
    """All census given names, plus the per-sex frequency rankings.

    The 1990 percentages are per sex, so the stop-list rule takes the top
    TOP_GIVEN_KEPT_OUT names of each sex (male and female lists separately).
    """
    names = sorted({cap(n) for rows in (male, female) for n, _, _ in rows if len(n) >= MIN_LEN})
    top = set()
    for rows in (male, female):
        ranked = sorted(rows, key=lambda r: r[2])
        top |= {n.lower() for n, _, _ in ranked[:TOP_GIVEN_KEPT_OUT]}
    return names, top


def build_surnames(last):
    rows = sorted(last, key=lambda r: r[2])
    if SURNAME_LIMIT is not None:
        rows = rows[:SURNAME_LIMIT]
    names = sorted({cap(n) for n, _, _ in rows if len(n) >= MIN_LEN})
    ranked = [n.lower() for n, _, _ in rows]
    return names, ranked


WORD_RE = re.compile(r"^[a-z]+$")
VOCAB_RE = re.compile(r"^[a-z0-9]+$")


def build_common_words(given_top, surname_ranked):
    words: set[str] = set()
    for fn in SCOWL_FILES:
        with open(os.path.join(SCOWL_DIR, fn), encoding="utf-8") as f:
            for w in f:
                w = w.strip()
                # lowercase ASCII words only: drops possessives ("cat's"),
                # accented words and SCOWL's capitalised proper nouns.
                if WORD_RE.match(w) and len(w) >= MIN_LEN:
                    words.add(w)
    n_scowl = len(words)
    vocab = set(LOG_VOCAB.split())
    for w in vocab:
        assert VOCAB_RE.match(w), w
    vocab = {w for w in vocab if len(w) >= MIN_LEN}
    n_vocab_new = len(vocab - words)
    words |= vocab
    protected = set(given_top) | set(
        surname_ranked[:TOP_SURNAMES_KEPT_OUT]
    )
    removed = sorted(words & protected)
    words -= protected
    return sorted(words), n_scowl, n_vocab_new, removed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--names-sdist", help="names-0.3.0.tar.gz, or a dir with the dist.* files")
    ap.add_argument("--out", default=HERE, help="output directory (default: this script's)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the removed stop words")
    args = ap.parse_args()

    census = load_census(args.names_sdist)
    male = parse_census(census["dist.male.first"])
    female = parse_census(census["dist.female.first"])
    last = parse_census(census["dist.all.last"])

    given, given_top = build_given(male, female)
    surnames, surname_ranked = build_surnames(last)
    common, n_scowl, n_vocab_new, removed = build_common_words(given_top, surname_ranked)

    regen = "Generated by patterns/names/gen.py; do not edit by hand (see patterns/README.md)."
    write(
        os.path.join(args.out, "given.txt"),
        [
            "Given (first) names, one per line, sorted, deduplicated.",
            "Source: US Census Bureau, 1990 census name files dist.male.first +",
            "dist.female.first (as shipped in the PyPI package names==0.3.0).",
            "Licence: public domain (work of the US federal government).",
            f"Filter: all names of both files, length >= {MIN_LEN}; 'MARY' -> 'mary'.",
            f"Count: {len(given)}",
            regen,
        ],
        given,
    )
    write(
        os.path.join(args.out, "surnames.txt"),
        [
            "Family names, one per line, sorted, deduplicated.",
            "Source: US Census Bureau, 1990 census name file dist.all.last",
            "(as shipped in the PyPI package names==0.3.0).",
            "Licence: public domain (work of the US federal government).",
            (
                f"Filter: all {len(last)} census surnames"
                if SURNAME_LIMIT is None
                else f"Filter: top {SURNAME_LIMIT} census surnames by frequency rank"
            )
            + f", length >= {MIN_LEN}; 'SMITH' -> 'smith'.",
            f"Count: {len(surnames)}",
            regen,
        ],
        surnames,
    )
    write(
        os.path.join(args.out, "common-words.txt"),
        [
            "Stop list: common English and software/log words, lowercase, sorted.",
            "A capitalised word found here is NOT taken for a given name or surname.",
            "Source: SCOWL size levels 10+20 (english-words.*, american-words.*;",
            "Debian package scowl 2020.12.07-2), lowercase a-z words only,",
            "plus a hand-written software/log vocabulary (LOG_VOCAB in gen.py).",
            "SCOWL licence: Copyright 2000-2011 Kevin Atkinson; permission to use,",
            "copy, modify, distribute and sell these word lists ... for any purpose",
            "is hereby granted without fee, provided that the above copyright notice",
            "appears in all copies and that both that copyright notice and this",
            "permission notice appear in supporting documentation. (Levels 10/20",
            "derive from public-domain Moby Words II and Kelk's UK word list.)",
            f"Rule: words that are among the top {TOP_GIVEN_KEPT_OUT} male or top {TOP_GIVEN_KEPT_OUT} female given",
            f"names or the top {TOP_SURNAMES_KEPT_OUT} surnames of the 1990 census are REMOVED (e.g. smith,",
            "brown, young, king, grant, rose, mark, bill, will), so that a given",
            "name followed by such a surname is still recognised as a person.",
            f"Count: {len(common)} ({n_scowl} from SCOWL, {n_vocab_new} added vocabulary,",
            f"{len(removed)} removed as common names).",
            regen,
        ],
        common,
    )
    print(
        f"given.txt {len(given)}  surnames.txt {len(surnames)}  "
        f"common-words.txt {len(common)} (scowl {n_scowl}, +vocab {n_vocab_new}, "
        f"-names {len(removed)})"
    )
    if args.verbose:
        print("removed:", " ".join(removed))


if __name__ == "__main__":
    main()
