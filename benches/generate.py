#!/usr/bin/env python3
"""Generates realistic dossier bundles for the benchmark (standard library only).

    generate.py generate N DIR [--seed S] [--attachment-kb K] [--jobs J]
    generate.py verify DIR REPORT.jsonl
    generate.py zip DIR ZIPDIR

`generate` writes N bundles `DIR/b000001/...` for both Douyin operations
(`douyin.employee_account.open` and `.deregister`): 1-3 employees, every
material the operation needs, checksum-valid USCCs (GB 32100 + GB 11714) and
resident ID numbers (GB 11643 MOD 11-2), valid mobiles, Chinese names and
company names, dates consistent with `submitted_on`, a correct `sha256` on
about 20 % of documents and about 15 % defective bundles, each with one
intended defect taken from the Douyin rules. Attachments are well-formed PDF
(a page showing a grey-scale image), JPEG (a real 16x16 baseline JPEG padded
with APP segments, as EXIF-heavy phone photos are) and PNG (a real grey-scale
image, stored zlib blocks) files of about K KiB each (0.5-1.5 K), every one a
distinct file. Bundle `b000001` is always a passing `open` bundle with two
employees (the one-bundle benchmark uses it).

`DIR/expected.tsv` lists, per bundle, the operation, number of employees,
the expected verdict and the intended failing rule; `DIR/generator.json`
records the parameters so `benches/run.sh` can reuse a corpus.

`verify` compares a `dossier check DIR --format jsonl` report with
`expected.tsv`: every clean bundle must pass, every defective one must fail
with its intended rule. Exit status 1 on any mismatch.

`zip` writes each bundle of DIR as `ZIPDIR/b000001.zip` (deflated, the
manifest at the archive's root, as "compress these files" makes it) and
copies `expected.tsv`, so the same corpus can be judged as archives.

Output is deterministic for a given seed, N and K, whatever --jobs is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import struct
import sys
import time
import zlib
from multiprocessing import Pool

FORMAT = "dossier.bundle/v1"
OPEN = "douyin.employee_account.open"
DEREGISTER = "douyin.employee_account.deregister"

# ---------------------------------------------------------------------------
# Identifiers

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
RIC_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def org_check(body8: str) -> str:
    """GB 11714-1997 check character of an 8-character organisation code body."""
    total = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, ORG_WEIGHTS)
    )
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def uscc_check(first17: str) -> str:
    """GB 32100-2015 check character."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def make_uscc(rng: random.Random, region: str) -> str:
    if rng.random() < 0.7:  # newer registrations: MA + 6 characters
        tail = "".join(rng.choice("0123456789" * 3 + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
        body = "MA" + tail
    else:  # older companies: their former all-digit organisation code
        body = "".join(rng.choice("0123456789") for _ in range(8))
    first17 = "91" + region + body + org_check(body)
    return first17 + uscc_check(first17)


def ric_check(body17: str) -> str:
    total = sum(int(c) * w for c, w in zip(body17, RIC_WEIGHTS))
    return "10X98765432"[total % 11]


def make_ric(rng: random.Random, county: str, birth: dt.date, female: bool) -> str:
    seq = rng.randrange(0, 100) * 10 + rng.randrange(0, 10)
    if (seq % 2 == 0) != female:  # 17th digit: odd = male, even = female
        seq = seq + 1 if seq < 999 else seq - 1
    body = f"{county}{birth:%Y%m%d}{seq:03d}"
    return body + ric_check(body)


MOBILE_PREFIXES = (
    [f"13{d}" for d in range(10)]
    + ["150", "151", "152", "153", "155", "156", "157", "158", "159"]
    + [f"18{d}" for d in range(10)]
    + ["166", "173", "175", "176", "177", "178", "191", "198", "199"]
)


def make_mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


# ---------------------------------------------------------------------------
# Names and places

# (city, USCC registration-authority divisions in that city)
CITIES = [
    ("北京", ["110105", "110108", "110101", "110106"]),
    ("上海", ["310115", "310104", "310101", "310112"]),
    ("广州", ["440106", "440104", "440111"]),
    ("深圳", ["440305", "440304", "440306"]),
    ("杭州", ["330106", "330108", "330110"]),
    ("成都", ["510107", "510104", "510106"]),
    ("武汉", ["420106", "420111", "420102"]),
    ("南京", ["320106", "320102", "320115"]),
    ("西安", ["610113", "610103"]),
    ("重庆", ["500103", "500106"]),
    ("苏州", ["320505", "320508"]),
    ("天津", ["120104", "120116"]),
    ("长沙", ["430104", "430102"]),
    ("厦门", ["350203", "350206"]),
    ("郑州", ["410105", "410102"]),
    ("青岛", ["370202", "370212"]),
]
# counties that appear as the address code of a resident ID number
COUNTIES = [c for _, cs in CITIES for c in cs] + [
    "130102", "140105", "150102", "210102", "220102", "230102", "340104", "350102",
    "360102", "370102", "450103", "460106", "520102", "530102", "620102", "640104",
    "650102", "410302", "321002", "431202", "511302", "130602", "441302", "330302",
]
TRADE_NAMES = [
    ("星河", "xinghe"), ("锦程", "jincheng"), ("木棉", "mumian"), ("森屿", "senyu"),
    ("云帆", "yunfan"), ("启航", "qihang"), ("博远", "boyuan"), ("恒信", "hengxin"),
    ("华耀", "huayao"), ("青禾", "qinghe"), ("远景", "yuanjing"), ("明德", "mingde"),
    ("泰和", "taihe"), ("嘉禾", "jiahe"), ("鼎盛", "dingsheng"), ("瑞丰", "ruifeng"),
    ("海纳", "haina"), ("蓝鲸", "lanjing"), ("极光", "jiguang"), ("晨曦", "chenxi"),
    ("山海", "shanhai"), ("知行", "zhixing"), ("新程", "xincheng"), ("长风", "changfeng"),
    ("九州", "jiuzhou"), ("万象", "wanxiang"), ("银杏", "yinxing"), ("松果", "songguo"),
    ("拾光", "shiguang"), ("南山", "nanshan"), ("北辰", "beichen"), ("东方", "dongfang"),
    ("卓越", "zhuoyue"), ("汇通", "huitong"), ("聚力", "juli"), ("优品", "youpin"),
    ("朗润", "langrun"), ("清源", "qingyuan"), ("天禾", "tianhe"), ("悦动", "yuedong"),
]
INDUSTRIES = [
    ("科技", "tech"), ("信息技术", "it"), ("文化传媒", "media"), ("网络科技", "net"),
    ("数字科技", "digital"), ("电子商务", "shop"), ("餐饮管理", "food"), ("教育科技", "edu"),
    ("广告", "ad"), ("贸易", "trade"), ("生物科技", "bio"), ("品牌管理", "brand"),
    ("体育文化", "sports"), ("旅游发展", "travel"), ("健康管理", "health"),
]
SURNAMES = [
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
    ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"),
    ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"),
    ("郭", "guo"), ("何", "he"), ("林", "lin"), ("罗", "luo"), ("高", "gao"),
    ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"),
    ("许", "xu"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"),
    ("彭", "peng"), ("曾", "zeng"), ("肖", "xiao"), ("田", "tian"), ("董", "dong"),
    ("潘", "pan"), ("袁", "yuan"), ("蔡", "cai"), ("蒋", "jiang"), ("余", "yu"),
    ("于", "yu"), ("杜", "du"), ("叶", "ye"), ("程", "cheng"), ("魏", "wei"),
    ("苏", "su"), ("吕", "lv"), ("丁", "ding"), ("任", "ren"), ("卢", "lu"),
    ("欧阳", "ouyang"), ("司马", "sima"), ("上官", "shangguan"),
]
GIVEN_MALE = [
    ("伟", "wei"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"),
    ("勇", "yong"), ("杰", "jie"), ("涛", "tao"), ("明", "ming"), ("超", "chao"),
    ("浩", "hao"), ("宇", "yu"), ("轩", "xuan"), ("俊", "jun"), ("峰", "feng"),
    ("子", "zi"), ("豪", "hao"), ("博", "bo"), ("文", "wen"), ("海", "hai"),
    ("建", "jian"), ("国", "guo"), ("志", "zhi"), ("鹏", "peng"), ("辉", "hui"),
]
GIVEN_FEMALE = [
    ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("艳", "yan"), ("婷", "ting"), ("雪", "xue"), ("欣", "xin"), ("怡", "yi"),
    ("佳", "jia"), ("雨", "yu"), ("桐", "tong"), ("梓", "zi"), ("涵", "han"),
    ("思", "si"), ("琪", "qi"), ("悦", "yue"), ("诗", "shi"), ("晓", "xiao"),
    ("慧", "hui"), ("颖", "ying"), ("萱", "xuan"), ("妍", "yan"), ("华", "hua"),
]
# transliterated names, written with a middle dot (kept rare, as in life)
DOTTED_NAMES = [
    ("阿依古丽·买买提", "ayiguli_maimaiti", True),
    ("迪丽娜尔·艾力", "dilinaer_aili", True),
    ("艾克拜尔·吐尔逊", "aikebaier_tuerxun", False),
]


def make_person(rng: random.Random, taken: set[str]) -> tuple[str, str, bool]:
    """A (name, party key, female) triple whose key is not in `taken`."""
    while True:
        if rng.random() < 0.01:
            name, key, female = rng.choice(DOTTED_NAMES)
        else:
            female = rng.random() < 0.5
            pool = GIVEN_FEMALE if female else GIVEN_MALE
            surname, s_py = rng.choice(SURNAMES)
            chars = [rng.choice(pool) for _ in range(1 if rng.random() < 0.3 else 2)]
            name = surname + "".join(c for c, _ in chars)
            key = s_py + "".join(p for _, p in chars)
        if key not in taken:
            taken.add(key)
            return name, key, female


# ---------------------------------------------------------------------------
# Dates

EPOCH = dt.date(2024, 1, 2)
LAST_SUBMISSION = dt.date(2026, 11, 20)
LONG_TERM = "long_term"


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def id_card_expiry(rng: random.Random, birth: dt.date, submitted: dt.date):
    """A valid-until date consistent with the holder's age (5/10/20 years, or long-term)."""
    age = (submitted - birth).days // 365
    if age >= 46:
        return LONG_TERM
    period = 5 if age < 16 else 10 if age < 26 else 20
    issued = submitted - days(rng.randrange(30, period * 365 - 30))
    return add_years(issued, period)


def date_text(day, rng: random.Random, variants: bool) -> str:
    if not isinstance(day, dt.date):
        return day if rng.random() < 0.8 or not variants else "长期"
    if variants:
        r = rng.random()
        if r < 0.02:
            return f"{day.year}年{day.month}月{day.day}日"
        if r < 0.04:
            return f"{day.year}/{day.month:02d}/{day.day:02d}"
    return day.isoformat()


# ---------------------------------------------------------------------------
# Attachments

# A real 16x16 grey baseline JPEG (made once with Pillow); padding goes into
# APP segments after its JFIF header, as a phone's EXIF data would.
TINY_JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300100b0c0e0c0a100e0d0e121110"
    "1318281a181616183123251d283a333d3c3933383740485c4e404457453738506d51575f6267"
    "68673e4d71797064785c656763ffc0000b080010001001011100ffc400150001010000000000"
    "0000000000000000000006ffc40014100100000000000000000000000000000000ffda000801"
    "0100003f00a401ffd9"
)
POOL_BYTES = 4 << 20
_pool = b""


def padding(rng: random.Random, n: int) -> bytes:
    start = rng.randrange(0, len(_pool) - n)
    return _pool[start : start + n]


def make_jpeg(rng: random.Random, label: str, size: int) -> bytes:
    head, rest = TINY_JPEG[:20], TINY_JPEG[20:]
    comment = label.encode()
    segments = [b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment]
    remaining = max(0, size - len(TINY_JPEG) - len(segments[0]))
    while remaining > 4:
        chunk = min(remaining - 4, 65533)
        segments.append(b"\xff\xe2" + struct.pack(">H", chunk + 2) + padding(rng, chunk))
        remaining -= chunk + 4
    return head + b"".join(segments) + rest


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def make_png(rng: random.Random, label: str, size: int) -> bytes:
    width = 256
    height = max(1, size // (width + 1))
    pixels = padding(rng, width * height)
    raw = b"".join(b"\x00" + pixels[r * width : (r + 1) * width] for r in range(height))
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)),
            png_chunk(b"tEXt", b"Comment\x00" + label.encode()),
            png_chunk(b"IDAT", zlib.compress(raw, 0)),
            png_chunk(b"IEND", b""),
        ]
    )


def make_pdf(rng: random.Random, label: str, size: int) -> bytes:
    """A one-page PDF showing a grey-scale image (the 'scan'), with a correct xref."""
    width = 256
    height = max(1, (size - 900) // width)
    image = padding(rng, width * height)
    content = b"q 595 0 0 842 0 0 cm /Im0 Do Q\n"
    title = label.encode("utf-16-be").hex().upper()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /XObject << /Im0 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray"
        b" /BitsPerComponent 8 /Length %d >>\nstream\n" % (width, height, len(image))
        + image
        + b"\nendstream",
        b"<< /Title <FEFF" + title.encode() + b"> /Producer (dossier benches/generate.py) >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


MAKERS = {"pdf": make_pdf, "jpg": make_jpeg, "png": make_png}
END_MARKERS = {"pdf": b"%%EOF", "jpg": b"\xff\xd9", "png": b"IEND\xae\x42\x60\x82"}


# ---------------------------------------------------------------------------
# Bundles

# The rule a defect fails under where it is not the defect's own name: an
# invalid mobile is a mistyped value, so `field.type` fails and the contact
# rule that would read it is skipped, backed by that failure (one finding
# for one mistake).
FAILS_AS = {"employee.contact": "field.type"}

# Intended defects: rule id -> weight, per operation. Each defective bundle
# gets exactly one; the rule named is the one expected among its failures.
DEFECTS = {
    OPEN: {
        "employee.id_card": 3,  # an employee's ID card has expired
        "business_license.matches": 3,  # licence USCC differs from the enterprise's
        "business_license.valid": 1,  # licence expired
        "employee.employment_proof": 3,  # labour contract / certificate missing
        "employee.agreement": 3,  # account agreement not sealed
        "employee.contact": 3,  # invalid mobile number
        "employee.phone_unique": 1,  # two employees share a phone
        "enterprise.certified": 1,  # no 企业号认证 yet
        "employee.age": 1,  # employee under 16
        "labor_contract.in_force": 1,  # contract ended before submission
        "employment_proof.sealed": 1,  # contract not sealed
        "document.file": 2,  # wrong sha256 / truncated file / missing file
    },
    DEREGISTER: {
        "legal_representative.id_card": 3,  # expired or mismatching
        "business_license.matches": 3,
        "business_license.valid": 1,
        "employee.id_card": 2,
        "employee.relationship_proof": 4,  # missing or unsealed
        "resignation.date": 2,  # resignation after submission
        "document.file": 2,
    },
}


class Bundle:
    def __init__(self, rng: random.Random, kb: int):
        self.rng = rng
        self.kb = kb
        self.parties: list[tuple[str, dict]] = []
        self.documents: list[dict] = []
        self.files: dict[str, bytes] = {}

    def attach(self, label: str, name: str, ext: str) -> str:
        size = int(self.kb * 1024 * self.rng.uniform(0.5, 1.5))
        data = MAKERS[ext](self.rng, label, size)
        path = f"files/{name}.{ext}"
        self.files[path] = data
        return path

    def document(self, type_: str, holder: str, ext: str, fields: dict, label: str) -> dict:
        doc = {"type": type_, "holder": holder, "fields": fields}
        doc["file"] = self.attach(f"{label} {type_} {holder}", f"{holder}_{type_}" if holder != "company" else type_, ext)
        if self.rng.random() < 0.2:
            doc["sha256"] = hashlib.sha256(self.files[doc["file"]]).hexdigest()
        self.documents.append(doc)
        return doc


def scan_ext(rng: random.Random) -> str:
    return "pdf" if rng.random() < 0.9 else "jpg"


def build(index: int, seed: int, kb: int):
    """Builds bundle `index`: (manifest text, manifest name, files, expectation row)."""
    rng = random.Random(f"{seed}:{index}")
    label = f"b{index:06d}"
    if index == 1:
        operation, n_employees, defect = OPEN, 2, None
    else:
        operation = OPEN if rng.random() < 0.6 else DEREGISTER
        n_employees = rng.choices([1, 2, 3], weights=[5, 3, 2])[0]
        defect = None
        if rng.random() < 0.15:
            choices = dict(DEFECTS[operation])
            if n_employees < 2:
                choices.pop("employee.phone_unique", None)
            defect = rng.choices(list(choices), weights=list(choices.values()))[0]
    variants = defect is None  # spelling variants only where they cannot mask a defect

    submitted = EPOCH + days(rng.randrange((LAST_SUBMISSION - EPOCH).days))
    if submitted.weekday() >= 5:
        submitted += days(7 - submitted.weekday())
    b = Bundle(rng, kb)
    taken: set[str] = {"company"}

    city, regions = rng.choice(CITIES)
    trade, trade_py = rng.choice(TRADE_NAMES)
    industry, industry_py = rng.choice(INDUSTRIES)
    if rng.random() < 0.15:
        company = f"{trade}{industry}（{city}）有限公司"
    else:
        company = f"{city}{trade}{industry}有限公司"
    domain = f"{trade_py}-{industry_py}.{rng.choice(['com', 'cn', 'com.cn'])}"
    uscc = make_uscc(rng, rng.choice(regions))
    certified = defect != "enterprise.certified"
    b.parties.append(
        ("company", {"role": "enterprise", "name": company, "uscc": uscc, "douyin_certified": certified})
    )

    rep_name, rep_key, rep_female = make_person(rng, taken)
    rep_birth = submitted - days(rng.randrange(30 * 365, 62 * 365))
    rep_ric = make_ric(rng, rng.choice(COUNTIES), rep_birth, rep_female)
    b.parties.append((rep_key, {"role": "legal_representative", "name": rep_name, "id_number": rep_ric}))

    employees = []
    phones: list[str] = []
    for e in range(n_employees):
        name, key, female = make_person(rng, taken)
        if defect == "employee.age" and e == 0:
            birth = submitted - days(rng.randrange(14 * 365 + 30, 16 * 365 - 30))
        else:
            birth = submitted - days(rng.randrange(19 * 365, 55 * 365))
        ric = make_ric(rng, rng.choice(COUNTIES), birth, female)
        phone = make_mobile(rng)
        while phone in phones:
            phone = make_mobile(rng)
        phones.append(phone)
        party = {"role": "employee", "name": name, "id_number": ric, "phone": phone}
        if rng.random() < 0.7:
            party["email"] = f"{key}@{domain}"
        party["douyin_account"] = rng.choice([f"{trade_py}_{key}", f"{key}{rng.randrange(1, 999)}", f"{key}_{submitted.year}"])
        b.parties.append((key, party))
        employees.append((key, name, birth, ric, party))
    if defect == "employee.contact":
        employees[0][4]["phone"] = rng.choice(["1380013800", "12345678901", "138001380001", "23800138000"])
    if defect == "employee.phone_unique":
        employees[1][4]["phone"] = employees[0][4]["phone"]
    if rng.random() < 0.1:
        c_name, c_key, _ = make_person(rng, taken)
        b.parties.append((c_key, {"role": "contact", "name": c_name, "phone": make_mobile(rng)}))

    # business licence
    licence_uscc = uscc
    if defect == "business_license.matches":
        while licence_uscc == uscc:
            licence_uscc = make_uscc(rng, rng.choice(regions))
    if defect == "business_license.valid":
        licence_until = submitted - days(rng.randrange(1, 400))
    elif rng.random() < 0.75:
        licence_until = LONG_TERM
    else:
        licence_until = submitted + days(rng.randrange(365, 30 * 365))
    b.document(
        "business_license",
        "company",
        "pdf" if rng.random() < 0.8 else "jpg",
        {"name": company, "uscc": licence_uscc, "legal_representative": rep_name,
         "valid_until": date_text(licence_until, rng, variants)},
        label,
    )

    def id_card(key, name, birth, ric, expired=False, wrong_number=False):
        until = submitted - days(rng.randrange(1, 300)) if expired else id_card_expiry(rng, birth, submitted)
        number = ric
        if wrong_number:  # another valid number of the same person's age
            while number == ric:
                number = make_ric(rng, rng.choice(COUNTIES), birth, int(ric[16]) % 2 == 0)
        b.document(
            "id_card", key, "jpg" if rng.random() < 0.7 else "png",
            {"name": name, "number": number, "valid_until": date_text(until, rng, variants)},
            label,
        )

    if operation == DEREGISTER:
        bad_rep = defect == "legal_representative.id_card"
        mode = rng.random()
        id_card(rep_key, rep_name, rep_birth, rep_ric, expired=bad_rep and mode < 0.6,
                wrong_number=bad_rep and mode >= 0.6)

    sealed_default = True
    for e, (key, name, birth, ric, party) in enumerate(employees):
        first = e == 0
        id_card(key, name, birth, ric, expired=first and defect == "employee.id_card")
        employer = company
        if variants and "（" in company and rng.random() < 0.3:
            employer = company.replace("（", "(").replace("）", ")")  # as typed on a form
        if operation == OPEN:
            missing = first and defect == "employee.employment_proof"
            contract = rng.random() < 0.6 or (first and defect in ("labor_contract.in_force", "employment_proof.sealed"))
            if not missing and contract:
                if first and defect == "labor_contract.in_force":
                    end = submitted - days(rng.randrange(1, 200))
                    start = add_years(end, -3) + days(1)
                else:
                    start = submitted - days(rng.randrange(20, 6 * 365))
                    end = LONG_TERM if rng.random() < 0.2 else max(add_years(start, 3), submitted + days(30)) - days(1)
                b.document(
                    "labor_contract", key, scan_ext(rng),
                    {"employer": employer, "employee": name, "start_date": date_text(start, rng, variants),
                     "end_date": date_text(end, rng, variants) if end != LONG_TERM else rng.choice([LONG_TERM, "无固定期限"]),
                     "sealed": not (first and defect == "employment_proof.sealed")},
                    label,
                )
            elif not missing:
                b.document(
                    "employment_certificate", key, scan_ext(rng),
                    {"employer": employer, "employee": name,
                     "issued_on": date_text(submitted - days(rng.randrange(0, 25)), rng, variants),
                     "sealed": sealed_default},
                    label,
                )
            enterprise_signed = submitted - days(rng.randrange(1, 20))
            employee_signed = enterprise_signed + days(rng.randrange(0, (submitted - enterprise_signed).days + 1))
            b.document(
                "account_agreement", key, "pdf",
                {"enterprise_signed_on": date_text(enterprise_signed, rng, variants),
                 "employee_signed_on": date_text(employee_signed, rng, variants),
                 "sealed": not (first and defect == "employee.agreement")},
                label,
            )
        else:
            bad_proof = first and defect == "employee.relationship_proof"
            missing = bad_proof and rng.random() < 0.5
            late = first and defect == "resignation.date"
            if missing:
                pass
            elif late or rng.random() < 0.7 or bad_proof:
                resigned = submitted + days(rng.randrange(1, 30)) if late else submitted - days(rng.randrange(1, 60))
                b.document(
                    "resignation_certificate", key, scan_ext(rng),
                    {"employer": employer, "employee": name,
                     "resignation_date": date_text(resigned, rng, variants),
                     "sealed": not bad_proof},
                    label,
                )
            else:
                start = submitted - days(rng.randrange(60, 6 * 365))
                end = LONG_TERM if rng.random() < 0.2 else add_years(start, rng.choice([3, 5])) - days(1)
                b.document(
                    "labor_contract", key, scan_ext(rng),
                    {"employer": employer, "employee": name, "start_date": date_text(start, rng, variants),
                     "end_date": date_text(end, rng, variants), "sealed": True},
                    label,
                )

    if defect == "document.file":
        doc = rng.choice(b.documents[1:])
        kind = rng.random()
        if kind < 0.4:  # declared digest is not the file's
            doc["sha256"] = hashlib.sha256(b.files[doc["file"]] + b"\n").hexdigest()
        elif kind < 0.8:  # upload cut short: no end marker
            doc.pop("sha256", None)
            data = b.files[doc["file"]]
            marker = END_MARKERS[doc["file"].rsplit(".", 1)[1]]
            cut = len(data) * 2 // 3
            # random padding can hold a JPEG's FF D9 by chance; cut where the
            # last KiB (what dossier looks at) has no end marker
            while cut > 64 and marker in data[max(0, cut - 1024) : cut]:
                cut -= 97
            b.files[doc["file"]] = data[:cut]
        else:  # the manifest names a file that was never uploaded
            del b.files[doc["file"]]

    as_json = variants and rng.random() < 0.03
    manifest = render_json(operation, submitted, b) if as_json else render_yaml(operation, submitted, b, rng)
    row = (label, operation, n_employees, "fail" if defect else "pass", FAILS_AS.get(defect, defect) or "-")
    return label, ("bundle.json" if as_json else "bundle.yaml"), manifest, b.files, row


# ---------------------------------------------------------------------------
# Manifests

QUOTED = {"uscc", "id_number", "number", "phone"}


def scalar(key: str, value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if key in QUOTED:
        return f'"{value}"'
    return str(value)


def render_yaml(operation: str, submitted: dt.date, b: Bundle, rng: random.Random) -> str:
    out = [
        f"# {operation} — generated by benches/generate.py",
        f"format: {FORMAT}",
        f"operation: {operation}",
        f"submitted_on: {submitted.isoformat()}",
        "",
        "parties:",
    ]
    for key, party in b.parties:
        out.append(f"  {key}:")
        out.extend(f"    {k}: {scalar(k, v)}" for k, v in party.items())
    out += ["", "documents:"]
    for doc in b.documents:
        out.append(f"  - type: {doc['type']}")
        out.append(f"    holder: {doc['holder']}")
        out.append(f"    file: {doc['file']}")
        if "sha256" in doc:
            out.append(f"    sha256: {doc['sha256']}")
        fields = doc["fields"]
        if doc["type"] == "id_card" and rng.random() < 0.5:  # flow style, as people write it
            inner = ", ".join(f"{k}: {scalar(k, v)}" for k, v in fields.items())
            out.append(f"    fields: {{ {inner} }}")
        else:
            out.append("    fields:")
            out.extend(f"      {k}: {scalar(k, v)}" for k, v in fields.items())
    return "\n".join(out) + "\n"


def render_json(operation: str, submitted: dt.date, b: Bundle) -> str:
    value = {
        "format": FORMAT,
        "operation": operation,
        "submitted_on": submitted.isoformat(),
        "parties": {k: v for k, v in b.parties},
        "documents": [
            {k: doc[k] for k in ("type", "holder", "file", "sha256", "fields") if k in doc}
            for doc in b.documents
        ],
    }
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------
# Driver

_ctx: dict = {}


def _init(seed: int, kb: int, root: str, width: int) -> None:
    global _pool
    _pool = random.Random(f"{seed}:pool").randbytes(max(POOL_BYTES, kb * 1024 * 2))
    _ctx.update(seed=seed, kb=kb, root=root, width=width)


def _write_range(span: tuple[int, int]) -> list[tuple]:
    rows = []
    for index in range(*span):
        label, manifest_name, manifest, files, row = build(index, _ctx["seed"], _ctx["kb"])
        name = f"b{index:0{_ctx['width']}d}"
        bdir = os.path.join(_ctx["root"], name)
        os.makedirs(os.path.join(bdir, "files"), exist_ok=True)
        with open(os.path.join(bdir, manifest_name), "w", encoding="utf-8") as f:
            f.write(manifest)
        for rel, data in files.items():
            with open(os.path.join(bdir, rel), "wb") as f:
                f.write(data)
        rows.append((name,) + row[1:])
    return rows


def generator_digest() -> str:
    """Digest of this file: a corpus made by another version is regenerated."""
    with open(__file__, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def generate(n: int, root: str, seed: int, kb: int, jobs: int) -> None:
    if os.path.exists(root) and os.listdir(root):
        sys.exit(f"generate: {root} exists and is not empty; remove it first")
    os.makedirs(root, exist_ok=True)
    width = max(6, len(str(n)))
    spans = [(s, min(s + 500, n + 1)) for s in range(1, n + 1, 500)]
    started = time.monotonic()
    rows: list[tuple] = []
    with Pool(jobs, initializer=_init, initargs=(seed, kb, root, width)) as pool:
        for done, chunk in enumerate(pool.imap_unordered(_write_range, spans), start=1):
            rows.extend(chunk)
            if sys.stderr.isatty():
                print(f"\rgenerate: {len(rows)}/{n} bundles", end="", file=sys.stderr)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    rows.sort()
    with open(os.path.join(root, "expected.tsv"), "w", encoding="utf-8") as f:
        f.write("bundle\toperation\temployees\tverdict\tintended_rule\n")
        for row in rows:
            f.write("\t".join(str(x) for x in row) + "\n")
    took = time.monotonic() - started
    failing = sum(1 for r in rows if r[3] == "fail")
    total_bytes = sum(
        e.stat().st_size for e in os.scandir(os.path.join(root, rows[0][0], "files"))
    )
    with open(os.path.join(root, "generator.json"), "w") as f:
        json.dump(
            {"n": n, "seed": seed, "attachment_kb": kb, "defective": failing, "seconds": round(took, 1),
             "generator_sha256": generator_digest()},
            f,
        )
        f.write("\n")
    print(
        f"generate: {n} bundles ({failing} defective) in {root}, attachments ~{kb} KiB "
        f"(b{1:0{width}d}: {total_bytes // 1024} KiB of files), {took:.1f} s",
        file=sys.stderr,
    )


def verify(root: str, report: str) -> int:
    expected = {}
    with open(os.path.join(root, "expected.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            name, operation, _employees, verdict, rule = line.rstrip("\n").split("\t")
            # Corpora written before FAILS_AS name the defect itself.
            expected[name] = (operation, verdict, FAILS_AS.get(rule, rule))
    seen = {}
    with open(report, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            value = json.loads(line)
            if "bundle" not in value or "verdict" not in value:
                continue  # the summary line
            name = os.path.basename(os.path.normpath(value["bundle"])).removesuffix(".zip")
            if name in ("bundle.yaml", "bundle.json"):
                name = os.path.basename(os.path.dirname(value["bundle"]))
            failed = sorted({x["rule"] for x in value.get("findings", []) if x.get("status") == "fail"})
            seen[name] = (value["verdict"], failed)
    problems = []
    intended_hits: dict[str, int] = {}
    collateral: dict[str, int] = {}
    for name, (operation, verdict, rule) in sorted(expected.items()):
        if name not in seen:
            problems.append(f"{name}: no report")
            continue
        got, failed = seen[name]
        if verdict == "pass":
            if got != "pass":
                problems.append(f"{name} ({operation}): expected pass, got {got}: {', '.join(failed)}")
        else:
            if got == "pass" or rule not in failed:
                problems.append(f"{name} ({operation}): expected {rule} to fail, got {got}: {', '.join(failed) or '-'}")
            else:
                intended_hits[rule] = intended_hits.get(rule, 0) + 1
                for other in failed:
                    if other != rule:
                        collateral[f"{rule} -> {other}"] = collateral.get(f"{rule} -> {other}", 0) + 1
    passed = sum(1 for v in expected.values() if v[1] == "pass")
    print(
        f"verify: {len(seen)} reports for {len(expected)} bundles; {passed} expected to pass, "
        f"{len(expected) - passed} defective; {len(problems)} mismatches"
    )
    if intended_hits:
        print("verify: intended failures: " + ", ".join(f"{k} {v}" for k, v in sorted(intended_hits.items())))
    if collateral:
        print("verify: also failing: " + ", ".join(f"{k} ({v})" for k, v in sorted(collateral.items())))
    for p in problems[:20]:
        print("  " + p)
    return 1 if problems else 0


def zip_corpus(root: str, out: str) -> None:
    """One deflated zip per bundle folder of `root`, written to `out`."""
    import shutil
    import zipfile

    os.makedirs(out, exist_ok=True)
    names = sorted(n for n in os.listdir(root) if os.path.isdir(os.path.join(root, n)))
    for name in names:
        bundle = os.path.join(root, name)
        target = os.path.join(out, name + ".zip")
        with zipfile.ZipFile(target + ".part", "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            for folder, dirs, files in os.walk(bundle):
                dirs.sort()
                for file in sorted(files):
                    path = os.path.join(folder, file)
                    archive.write(path, os.path.relpath(path, bundle))
        os.replace(target + ".part", target)
    shutil.copy(os.path.join(root, "expected.tsv"), os.path.join(out, "expected.tsv"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate", help="write N bundles into DIR")
    g.add_argument("n", type=int)
    g.add_argument("dir")
    g.add_argument("--seed", type=int, default=6)
    g.add_argument("--attachment-kb", type=int, default=60)
    g.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    v = sub.add_parser("verify", help="compare a jsonl report with DIR/expected.tsv")
    v.add_argument("dir")
    v.add_argument("report")
    z = sub.add_parser("zip", help="write each bundle of DIR as ZIPDIR/<bundle>.zip")
    z.add_argument("dir")
    z.add_argument("zipdir")
    args = parser.parse_args()
    if args.command == "generate":
        if args.n < 1 or args.attachment_kb < 1:
            sys.exit("generate: N and --attachment-kb must be at least 1")
        generate(args.n, args.dir, args.seed, args.attachment_kb, args.jobs)
    elif args.command == "zip":
        zip_corpus(args.dir, args.zipdir)
    else:
        sys.exit(verify(args.dir, args.report))


if __name__ == "__main__":
    main()
