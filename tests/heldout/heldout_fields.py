"""Fields shared by the two held-out template families (tune, report).

Loaded by tune_templates.py and report_templates.py through
`fields(api)`, where `api` is shared/tools/gen_corpus.py. Only value
generators live here; the templates (layouts, keys, phrasings) are in the
two family modules and are not shared between them.

Every random choice comes from the generator's own RNG (`g.rng`); the
extra Faker instances used for international names are created on first
use and seeded from that RNG, so a seed gives the same bytes every run
(for one Faker version).
"""

import base64
import re
import string

NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")

# (key, weight): which kind of international name to draw.
NAME_MIX = [
    ("de", 14), ("pl", 13), ("fr", 13), ("es2", 12), ("nl", 10),
    ("it", 7), ("br", 7), ("ie", 8), ("hy", 7), ("cz", 4), ("tr", 3),
    ("us", 6),
]
LOCALE = {"de": "de_DE", "pl": "pl_PL", "fr": "fr_FR", "es2": "es_ES",
          "nl": "nl_NL", "it": "it_IT", "br": "pt_BR", "ie": "en_IE",
          "cz": "cs_CZ", "tr": "tr_TR", "us": "en_US", "at": "de_AT",
          "be": "nl_BE", "pt": "pt_PT"}

PATHS = ["/home/deploy", "/home/ubuntu", "/srv/payments", "/var/www/app",
         "/opt/ledger/current", "/root", "/home/ec2-user",
         "/srv/checkout/releases/20240304", "/var/lib/jenkins/workspace",
         "/home/svc-payouts"]
# Title-Case labels of measurements ("Label: 32 ms"), not names.
LABELS = ["Total Time", "Response Time", "Queue Wait", "Heap Used",
          "Active Connections", "Peak Memory", "Cold Start",
          "Request Duration", "Upstream Latency", "Cache Hits",
          "Retry Count", "Thread Count", "Open Files", "Idle Workers",
          "Bytes Sent", "Bytes Received", "Db Time", "View Time",
          "Gc Pause", "Batch Size"]
PRODUCTS = ["Acme Cloud", "Northwind Portal", "Contoso Pay",
            "Globex Billing", "Initech Console", "Umbrella Insights",
            "Stark Ledger", "Wayne Payments", "Hooli Checkout",
            "Vandelay Imports", "Tyrell Banking", "Soylent Rewards"]
TEAMS = ["Accounts Payable", "Customer Support", "Risk Engine",
         "Service Account", "Finance Ops", "Billing Team",
         "Security Review", "Change Advisory Board", "Payments Platform",
         "Fraud Desk", "Treasury Operations", "Release Manager"]
PLACES = ["Rotterdam Port", "Main Street", "Baker Street", "Rue de Rivoli",
          "Calle Mayor", "Warehouse Berlin", "Grant Avenue",
          "Victoria Road", "Dock Seven", "Fulfillment Center Leipzig",
          "Pickup Point Gdansk", "Jordan Street"]
B64 = string.ascii_letters + string.digits + "+/"
UPPER_DIGITS = string.ascii_uppercase + string.digits
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
          "Oct", "Nov", "Dec"]


def fields(api):
    T, S, D = api.T, api.S, api.D

    def fk(g, key):
        cache = g.__dict__.setdefault("_heldout_fk", {})
        if key not in cache:
            f = api.Faker(LOCALE[key])
            f.seed_instance(g.rng.getrandbits(32))
            cache[key] = f
        return cache[key]

    def ok_part(s):
        return all(NAME_TOKEN.fullmatch(t) for t in s.split(" ")) and \
            "  " not in s

    def person(g, kind=None, apostrophe=True):
        """(given, family): given may be compound, family may hold
        particles (van der), two surnames (es) or an apostrophe (O')."""
        for _ in range(80):
            k = kind or g.rng.choices([k for k, _ in NAME_MIX],
                                      [w for _, w in NAME_MIX])[0]
            fem = g.rng.random() < 0.5
            if k == "hy":
                f = fk(g, g.rng.choice(("de", "fr", "de", "at")))
                a = f.first_name_female() if fem else f.first_name_male()
                b = f.first_name_female() if fem else f.first_name_male()
                given = "%s-%s" % (a, b)
                family = f.last_name_female() if fem else \
                    f.last_name_male()
            else:
                f = fk(g, k)
                given = f.first_name_female() if fem else \
                    f.first_name_male()
                family = f.last_name_female() if fem else \
                    f.last_name_male()
                if k == "es2":
                    second = f.last_name()
                    if second == family:
                        continue
                    family = "%s %s" % (family, second)
            if not (ok_part(given) and ok_part(family)):
                continue
            last = family.split(" ")[-1]
            if len(last) < 3 or last in given.split(" ") or \
                    (not apostrophe and "'" in given + family):
                continue
            if k == "hy" and "-" not in given[1:-1]:
                continue
            return given, family
        raise AssertionError("no usable international name")

    def name_secret(given, family, sub):
        return S("name", "%s %s" % (given, family),
                 keep="%s %s" % (given, family[0]), sub=sub)

    def f_iname(g, arg):
        """iname[:KEY] -- an international full name (secret)."""
        given, family = person(g, arg or None)
        g.state["given"], g.state["family"] = given, family
        return name_secret(given, family, "name/intl")

    def f_iname_sq(g, arg):
        """iname_sq -- a name without apostrophes, for '...' contexts."""
        given, family = person(g, arg or None, apostrophe=False)
        return name_secret(given, family, "name/intl")

    def f_iname_py(g, arg):
        """iname_py -- a name as Python's repr() quotes it."""
        given, family = person(g, arg or None)
        full = "%s %s" % (given, family)
        q = '"' if "'" in full else "'"
        return [T(q), name_secret(given, family, "name/intl"), T(q)]

    def f_given(g, arg):
        """given -- draws a person; the given name alone is plain text."""
        given, family = person(g, arg or None)
        g.state["given"], g.state["family"] = given, family
        return T(given)

    def f_family(g, arg):
        """family -- the family name of the person drawn by ${given}."""
        fam = g.state["family"]
        return S("name", fam, keep=fam[0], sub="name/family")

    def f_b64tok(g, arg):
        """b64tok[:FAMILY] -- a token base64-encoded (Kubernetes Secret
        data): still the secret."""
        _, v = g.token(arg or "password")
        e = base64.b64encode(v.encode()).decode()
        return S("token", e, keep=api.keep4(e), sub="b64/%s" % (arg or
                                                                "password"))

    def f_awssess(g, arg):
        """awssess -- an STS session token."""
        body = base64.b64encode(g.randbytes(g.rng.choice((240, 300)))) \
            .decode()
        v = "IQoJb3JpZ2luX2Vj" + body
        return S("token", v, keep=v[-4:], sub="aws_session")

    # ---- decoys
    def f_path(g, arg):
        return D(arg or g.rng.choice(PATHS), "path")

    def f_awsacct(g, arg):
        return D(g.digits(12, "123456789"), "aws_account")

    def f_iamid(g, arg):
        return D((arg or g.rng.choice(("AROA", "AIDA", "AROA"))) +
                 g.chars(UPPER_DIGITS, 17), "object_id")

    def f_fms(g, arg):
        """fms -- a float milliseconds value like 102.25."""
        return D("%.2f" % g.rng.uniform(0.5, 2999), "duration")

    def f_ims(g, arg):
        lo, hi = (int(x) for x in (arg or "1-3000").split("-"))
        return D(str(g.rng.randint(lo, hi)), "duration")

    def f_memsize(g, arg):
        v = g.rng.choice((128, 256, 512, 1024, 1536, 2048, 3008))
        g.state["mem"] = v
        return D(str(v), "number")

    def f_memused(g, arg):
        v = g.rng.randint(40, g.state.get("mem", 128))
        return D(str(v), "number")

    def f_hatimers(g, arg):
        r = g.rng
        tr = r.randint(0, 9000)
        v = "%d/%d/%d/%d/%d" % (r.randint(0, 3), r.randint(0, 2),
                                r.randint(0, 5), tr,
                                tr + r.randint(0, 800))
        return D(v, "timers")

    def f_haconns(g, arg):
        r = g.rng
        a = r.randint(1, 900)
        return D("%d/%d/%d/%d/%d" % (a, max(1, a - r.randint(0, 10)),
                                     r.randint(0, 40), r.randint(0, 9),
                                     r.randint(0, 3)), "counters")

    def f_xray(g, arg):
        return D("1-%s-%s" % (g.chars("0123456789abcdef", 8),
                              g.chars("0123456789abcdef", 24)), "trace_id")

    def f_tsx(g, arg):
        """tsx:FMT -- timestamps in layouts the dev family lacks."""
        g.ts("iso")   # advance the clock like the other timestamps
        t = g.t
        ms = "%03d" % (t.microsecond // 1000)
        mon = MONTHS[t.month - 1]
        v = {
            "haproxy": lambda: "%02d/%s/%d:%s.%s" % (
                t.day, mon, t.year, t.strftime("%H:%M:%S"), ms),
            "django": lambda: "%02d/%s/%d %s" % (t.day, mon, t.year,
                                                  t.strftime("%H:%M:%S")),
            "rails": lambda: t.strftime("%Y-%m-%d %H:%M:%S +0000"),
            "rubylog": lambda: t.strftime("%Y-%m-%dT%H:%M:%S.%f"),
            "spring": lambda: t.strftime("%Y-%m-%dT%H:%M:%S.") + ms +
            "+00:00",
            "zapf": lambda: "%.4f" % t.timestamp(),
            "pyasc": lambda: t.strftime("%Y-%m-%d %H:%M:%S,") + ms,
            "dotnet": lambda: t.strftime("%m/%d/%Y %H:%M:%S"),
            "k8s": lambda: t.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "cwl": lambda: t.strftime("%d %b %Y %H:%M:%S"),
        }[arg]()
        return D(v, "timestamp")

    def f_secs3(g, arg):
        """secs3 -- seconds with millisecond precision (nginx
        $request_time, Rails/Django timings)."""
        return D("%.3f" % g.rng.uniform(0.001, 9.5), "duration")

    def pool(items, kind):
        return lambda g, arg: D(g.rng.choice(items), kind)

    out = {
        "iname": (f_iname, True), "iname_sq": (f_iname_sq, True),
        "iname_py": (f_iname_py, True), "given": (f_given, False),
        "family": (f_family, True), "b64tok": (f_b64tok, True),
        "awssess": (f_awssess, True),
        "path": (f_path, False), "awsacct": (f_awsacct, False),
        "iamid": (f_iamid, False), "fms": (f_fms, False),
        "ims": (f_ims, False), "memsize": (f_memsize, False),
        "memused": (f_memused, False), "hatimers": (f_hatimers, False),
        "haconns": (f_haconns, False), "xray": (f_xray, False),
        "tsx": (f_tsx, False), "secs3": (f_secs3, False),
        "label": (pool(LABELS, "caps"), False),
        "product": (pool(PRODUCTS, "caps"), False),
        "team": (pool(TEAMS, "caps"), False),
        "place": (pool(PLACES, "caps"), False),
    }
    return out

