//! The word lists of address normalization.

/// What may follow a one-character suffix (市, 省, 州, 盟) when that character
/// belongs to the next word instead: 市府路, 市场, 市民中心, 省道, 市中心医院.
pub(super) const PROTECTED_AFTER_SUFFIX: &[&str] = &[
    "府",
    "场",
    "政",
    "委",
    "辖",
    "区",
    "郊",
    "立",
    "属",
    "直",
    "级",
    "容",
    "集",
    "井",
    "第",
    "道",
    "会",
    "体",
    "中心",
    "中区",
    "北区",
    "南区",
    "民中",
    "民广",
    "民大道",
    "民之家",
    "民公园",
    "人民医院",
    "人民政府",
];

/// Country tags that may lead or trail a Chinese address, as words.
pub(super) const CHINA_TAGS: &[&[&str]] = &[
    &["中华人民共和国"],
    &["中国"],
    &["china"],
    &["prc"],
    &["p", "r", "c"],
    &["pr", "china"],
    &["p", "r", "china"],
    &["peoples", "republic", "of", "china"],
];

/// Other country names removed only at the end and only after a comma.
pub(super) const OTHER_COUNTRY_TAGS: &[&[&str]] = &[
    &["usa"],
    &["u", "s", "a"],
    &["united", "states"],
    &["united", "states", "of", "america"],
    &["uk"],
    &["united", "kingdom"],
    &["germany"],
    &["deutschland"],
    &["england"],
    &["scotland"],
    &["wales"],
    &["great", "britain"],
    &["spain"],
    &["españa"],
    &["espana"],
];

/// Pinyin names that let "China Beijing …" / "… Shanghai China" lose the tag
/// without a comma.
pub(super) const PINYIN_PLACES: &[&str] = &[
    "beijing",
    "tianjin",
    "shanghai",
    "chongqing",
    "hebei",
    "shanxi",
    "shaanxi",
    "liaoning",
    "jilin",
    "heilongjiang",
    "jiangsu",
    "zhejiang",
    "anhui",
    "fujian",
    "jiangxi",
    "shandong",
    "henan",
    "hubei",
    "hunan",
    "guangdong",
    "hainan",
    "sichuan",
    "guizhou",
    "yunnan",
    "gansu",
    "qinghai",
    "taiwan",
    "inner",
    "neimenggu",
    "guangxi",
    "tibet",
    "xizang",
    "ningxia",
    "xinjiang",
    "hong",
    "hongkong",
    "macau",
    "macao",
    "shenzhen",
    "guangzhou",
    "hangzhou",
    "nanjing",
    "suzhou",
    "wuhan",
    "chengdu",
    "xian",
    "qingdao",
    "dalian",
    "xiamen",
    "ningbo",
    "shenyang",
    "harbin",
    "changsha",
    "zhengzhou",
    "jinan",
    "kunming",
    "hefei",
    "fuzhou",
    "dongguan",
    "foshan",
    "wuxi",
    "changchun",
    "nanning",
    "nanchang",
    "taiyuan",
    "shijiazhuang",
    "urumqi",
    "lanzhou",
    "guiyang",
    "haikou",
    "hohhot",
    "lhasa",
    "yinchuan",
    "xining",
    "taipei",
];

/// Words before which a trailing country name is part of a name (Plaza de España).
pub(super) const NAME_LINKS: &[&str] = &["of", "de", "del"];

/// Plain English/Spanish abbreviations, expanded as whole tokens.
pub(super) const ABBREVIATIONS: &[(&str, &str)] = &[
    ("rd", "road"),
    ("ave", "avenue"),
    ("av", "avenue"),
    ("avda", "avenue"),
    ("avenida", "avenue"),
    ("blvd", "boulevard"),
    ("ln", "lane"),
    ("pl", "place"),
    ("sq", "square"),
    ("hwy", "highway"),
    ("pkwy", "parkway"),
    ("apt", "apartment"),
    ("apts", "apartments"),
    ("ste", "suite"),
    ("bldg", "building"),
    ("rm", "room"),
    ("cres", "crescent"),
    ("gdns", "gardens"),
    ("ctr", "center"),
    ("cir", "circle"),
    ("expy", "expressway"),
    ("fwy", "freeway"),
    ("trl", "trail"),
    ("hts", "heights"),
    ("jct", "junction"),
    ("blk", "block"),
    ("rte", "route"),
    ("terr", "terrace"),
    ("pza", "plaza"),
    ("ctra", "carretera"),
];

/// Standalone compass tokens.
pub(super) const DIRECTIONS: &[(&str, &str)] = &[
    ("n", "north"),
    ("s", "south"),
    ("e", "east"),
    ("w", "west"),
    ("ne", "northeast"),
    ("nw", "northwest"),
    ("se", "southeast"),
    ("sw", "southwest"),
];

/// Street types after which "St" is a saint: Boulevard St Michel.
pub(super) const STREET_TYPES: &[&str] = &[
    "street",
    "road",
    "avenue",
    "boulevard",
    "lane",
    "place",
    "square",
    "court",
    "drive",
    "highway",
    "parkway",
    "rue",
    "calle",
    "plaza",
    "via",
    "way",
];

/// Tokens dropped before a house number: "No. 5" = "#5" = "5".
pub(super) const NUMBER_WORDS: &[&str] = &[
    "no", "number", "nr", "num", "núm", "numero", "número", "nummer",
];

/// After these a single letter is a unit label (Apt E), not a direction.
pub(super) const UNIT_WORDS: &[&str] = &[
    "apartment",
    "suite",
    "unit",
    "building",
    "room",
    "floor",
    "flat",
    "block",
    "tower",
    "level",
    "house",
    "lot",
];

/// US state codes that are also street abbreviations; kept before a ZIP code.
pub(super) const STATE_CODES: &[&str] = &["ct", "fl", "flr", "ne", "mt"];

/// German words a following "Straße" does not merge into.
pub(super) const GERMAN_LINKS: &[&str] = &[
    "der", "die", "das", "den", "dem", "des", "am", "an", "im", "in", "zur", "zum", "auf", "von",
    "vom", "bei",
];

/// Characters that end a run of counted numerals as a unit: 号, 楼, 层 …
pub(super) const UNIT_CHARS: &[char] = &[
    '号', '楼', '层', '室', '栋', '幢', '座', '弄', '巷', '段', '期', '组',
];
