//! Tests of address normalization.

use super::*;
use proptest::prelude::*;

#[test]
fn table() {
    let cases: &[(&str, Option<&str>)] = &[
        // municipalities
        ("北京市朝阳区建国路88号", Some("北京朝阳区建国路88号")),
        ("北京朝阳区建国路88号", Some("北京朝阳区建国路88号")),
        (
            "中国北京市朝阳区建国路八十八号",
            Some("北京朝阳区建国路88号"),
        ),
        ("北京市 朝阳区 建国路 88 号", Some("北京朝阳区建国路88号")),
        ("北京市市辖区朝阳区建国路88号", Some("北京朝阳区建国路88号")),
        ("上海市浦东新区", Some("上海浦东新区")),
        ("上海浦东新区", Some("上海浦东新区")),
        ("重庆市渝中区解放碑", Some("重庆渝中区解放碑")),
        // province, city, district
        (
            "浙江省杭州市余杭区文一西路969号",
            Some("杭州余杭区文一西路969号"),
        ),
        ("杭州市余杭区文一西路969号", Some("杭州余杭区文一西路969号")),
        (
            "浙江杭州余杭区文一西路969号",
            Some("杭州余杭区文一西路969号"),
        ),
        (
            "中国浙江省杭州市余杭区文一西路九六九号",
            Some("杭州余杭区文一西路969号"),
        ),
        ("广东省深圳市南山区科技中一路", Some("深圳南山区科技中一路")),
        ("深圳市南山区科技中一路", Some("深圳南山区科技中一路")),
        ("深圳南山区科技中一路", Some("深圳南山区科技中一路")),
        ("辽宁省朝阳市双塔区", Some("朝阳双塔区")),
        ("吉林省吉林市船营区", Some("吉林船营区")),
        ("吉林省长春市朝阳区", Some("长春朝阳区")),
        ("四川省凉山彝族自治州西昌市", Some("凉山西昌市")),
        // autonomous regions, SARs, Taiwan, traditional characters
        (
            "广西壮族自治区南宁市青秀区民族大道",
            Some("南宁青秀区民族大道"),
        ),
        ("广西南宁市青秀区民族大道", Some("南宁青秀区民族大道")),
        ("内蒙古自治区呼和浩特市赛罕区", Some("呼和浩特赛罕区")),
        ("新疆维吾尔自治区乌鲁木齐市天山区", Some("乌鲁木齐天山区")),
        (
            "香港特別行政區九龍尖沙咀彌敦道100號",
            Some("香港九龙尖沙咀弥敦道100号"),
        ),
        (
            "香港九龙尖沙咀弥敦道100号",
            Some("香港九龙尖沙咀弥敦道100号"),
        ),
        (
            "臺灣省臺北市信義區信義路五段7號",
            Some("台北信义区信义路5段7号"),
        ),
        ("台北市信义区信义路5段7号", Some("台北信义区信义路5段7号")),
        (
            "廣東省廣州市天河區體育西路１０３號",
            Some("广州天河区体育西路103号"),
        ),
        // full-width digits and punctuation, 中华人民共和国
        (
            "中华人民共和国，北京市，海淀区，中关村大街２７号",
            Some("北京海淀区中关村大街27号"),
        ),
        (
            "北京市海淀区中关村大街27号（中国）",
            Some("北京海淀区中关村大街27号"),
        ),
        // Chinese numerals: floors, units, rooms, buildings
        (
            "朝阳区望京西园三区十二楼三单元一零二室",
            Some("朝阳区望京西园三区12楼3单元102室"),
        ),
        (
            "朝阳区望京西园三区12楼3单元102室",
            Some("朝阳区望京西园三区12楼3单元102室"),
        ),
        (
            "徐汇区漕溪北路一百二十弄五号楼第三层",
            Some("徐汇区漕溪北路120弄5号楼3层"),
        ),
        (
            "海淀区学院路二〇一号两百零二室",
            Some("海淀区学院路201号202室"),
        ),
        (
            "浦东新区世纪大道一百号第二十三层",
            Some("浦东新区世纪大道100号23层"),
        ),
        ("天河区3#楼", Some("天河区3楼")),
        // place names keep their numerals, street names keep 市
        ("北京市朝阳区三里屯路19号", Some("北京朝阳区三里屯路19号")),
        ("北京市海淀区五道口", Some("北京海淀区五道口")),
        ("北京市东城区东四十条", Some("北京东城区东四十条")),
        ("河南省郑州市二七区", Some("郑州二七区")),
        ("杭州市市府路", Some("杭州市府路")),
        ("深圳市民中心", Some("深圳市民中心")),
        ("北京市朝阳区城市花园3号楼", Some("北京朝阳区城市花园3号楼")),
        ("福建省三明市梅列区", Some("三明梅列区")),
        ("上海市南京市场路1号", Some("上海南京市场路1号")),
        ("山东省济南市市中区经四路", Some("济南市中区经四路")),
        ("青岛市市南区香港中路", Some("青岛市南区香港中路")),
        ("中国银行大厦", Some("中国银行大厦")),
        // English
        (
            "100 Market St, San Francisco, CA",
            Some("100 market street san francisco ca"),
        ),
        (
            "100 Market Street San Francisco CA",
            Some("100 market street san francisco ca"),
        ),
        (
            "100 MARKET ST., SAN FRANCISCO, CA 94105, USA",
            Some("100 market street san francisco ca 94105"),
        ),
        (
            "1600 Pennsylvania Ave NW, Washington, DC 20500",
            Some("1600 pennsylvania avenue northwest washington dc 20500"),
        ),
        (
            "350 5th Ave Fl 34, New York, NY 10118",
            Some("350 5th avenue floor 34 new york ny 10118"),
        ),
        (
            "Apt #5E, 12 N. Main St.",
            Some("apartment 5e 12 north main street"),
        ),
        ("200 Blvd. St. Michel", Some("200 boulevard saint michel")),
        (
            "12 St James's Sq, London SW1Y 4LB, UK",
            Some("12 saint jamess square london sw1y 4lb"),
        ),
        (
            "221B Baker St, London NW1 6XE, United Kingdom",
            Some("221b baker street london nw1 6xe"),
        ),
        (
            "Flat 3, 10 Downing St., London SW1A 2AA, England",
            Some("flat 3 10 downing street london sw1a 2aa"),
        ),
        (
            "1200 S Main St Apt E, Los Angeles, CA 90015",
            Some("1200 south main street apartment e los angeles ca 90015"),
        ),
        ("St. Louis, MO 63101", Some("saint louis mo 63101")),
        ("O'Connell St, Dublin", Some("oconnell street dublin")),
        (
            "10 Main Ct, Hartford, CT 06103",
            Some("10 main court hartford ct 06103"),
        ),
        (
            "No. 88 Jianguo Rd, Chaoyang District, Beijing, China",
            Some("88 jianguo road chaoyang district beijing"),
        ),
        (
            "88 Jianguo Road Chaoyang District Beijing PRC",
            Some("88 jianguo road chaoyang district beijing"),
        ),
        (
            "China, Beijing, 88 Jianguo Rd",
            Some("beijing 88 jianguo road"),
        ),
        (
            "Bank of China Tower, 1 Garden Rd",
            Some("bank of china tower 1 garden road"),
        ),
        (
            "China-Europe Centre, Shanghai",
            Some("china-europe centre shanghai"),
        ),
        (
            "Room 1203, 北京市朝阳区建国路88号",
            Some("room 1203北京朝阳区建国路88号"),
        ),
        // German, Spanish
        (
            "Hauptstr. 5, 10115 Berlin",
            Some("hauptstraße 5 10115 berlin"),
        ),
        (
            "Hauptstraße 5, 10115 Berlin, Deutschland",
            Some("hauptstraße 5 10115 berlin"),
        ),
        (
            "Hauptstrasse 5, 10115 Berlin",
            Some("hauptstraße 5 10115 berlin"),
        ),
        (
            "Karl-Marx-Str. 12, Berlin",
            Some("karl-marxstraße 12 berlin"),
        ),
        (
            "Karl-Marx-Straße 12, Berlin",
            Some("karl-marxstraße 12 berlin"),
        ),
        ("Straße des 17. Juni 135", Some("straße des 17 juni 135")),
        (
            "C/ Mayor, 5, 28013 Madrid, España",
            Some("calle mayor 5 28013 madrid"),
        ),
        (
            "Calle Mayor 5, 28013 Madrid",
            Some("calle mayor 5 28013 madrid"),
        ),
        (
            "Plaza de España, 1, Madrid",
            Some("plaza de españa 1 madrid"),
        ),
        (
            "Avda. de la Constitución, nº 3, Sevilla",
            Some("avenue de la constitución 3 sevilla"),
        ),
        // nothing left
        ("", None),
        ("   ", None),
        ("\u{3000}，。", None),
    ];
    for (input, want) in cases {
        assert_eq!(
            normalize_address(input).as_deref(),
            *want,
            "normalize_address({input:?})"
        );
    }
    assert!(cases.len() >= 30);
}

/// Several spellings of one address give one key.
#[test]
fn equivalence_groups() {
    let groups: &[&[&str]] = &[
        &[
            "北京市朝阳区建国路88号",
            "北京朝阳区建国路88号",
            "中国北京市朝阳区建国路八十八号",
            "中國 北京市 朝陽區 建國路 ８８ 號",
            "北京市北京市朝阳区建国路88号",
        ],
        &[
            "浙江省杭州市余杭区文一西路969号",
            "杭州市余杭区文一西路969号",
            "浙江杭州余杭区文一西路969号",
            "中华人民共和国浙江省杭州市余杭区文一西路969号",
        ],
        &[
            "广东省深圳市南山区科技中一路",
            "深圳市南山区科技中一路",
            "深圳南山区科技中一路",
            "廣東深圳南山區科技中一路",
        ],
        &[
            "上海市浦东新区世纪大道100号第23层",
            "上海浦东新区世纪大道一百号二十三层",
            "上海市浦东新区世纪大道100号23层",
        ],
        &[
            "100 Market St, San Francisco, CA",
            "100 market street san francisco ca",
            "100 MARKET ST. SAN FRANCISCO CA",
        ],
        &[
            "Hauptstr. 5",
            "Hauptstraße 5",
            "HAUPTSTRASSE 5",
            "Haupt Straße 5",
        ],
    ];
    for group in groups {
        let keys: Vec<Option<String>> = group.iter().map(|s| normalize_address(s)).collect();
        for (s, k) in group.iter().zip(&keys) {
            assert!(k.is_some(), "{s:?}");
            assert_eq!(k, &keys[0], "{s:?} vs {:?}", group[0]);
        }
    }
}

/// Different addresses stay different.
#[test]
fn negatives() {
    let pairs: &[(&str, &str)] = &[
        ("北京市朝阳区建国路88号", "北京市朝阳区建国路89号"),
        ("北京市朝阳区建国路88号", "天津市朝阳区建国路88号"),
        ("杭州市余杭区文一西路969号", "宁波市余杭区文一西路969号"),
        ("三里屯路19号", "3里屯路19号"),
        ("杭州市府路1号", "杭州府路1号"),
        ("十二楼", "十三楼"),
        ("100 Market St", "100 Mission St"),
        ("12 N Main St", "12 S Main St"),
    ];
    for (a, b) in pairs {
        assert_ne!(normalize_address(a), normalize_address(b), "{a:?} vs {b:?}");
    }
}

#[test]
fn numerals() {
    let cases = [
        ("八十八", "88"),
        ("十二", "12"),
        ("一零二", "102"),
        ("一百零二", "102"),
        ("两百", "200"),
        ("两百五", "250"),
        ("一百一十", "110"),
        ("一千零一", "1001"),
        ("三千五", "3500"),
        ("二〇一", "201"),
    ];
    for (han, want) in cases {
        let run: Vec<char> = han.chars().collect();
        assert_eq!(han_number(&run).as_deref(), Some(want), "{han}");
    }
    for bad in ["十十", "百", "二二十", "一百二百"] {
        let run: Vec<char> = bad.chars().collect();
        assert_eq!(han_number(&run), None, "{bad}");
    }
}

/// No administrative name is a prefix of another one: removing a suffix
/// can then never create a longer name, which idempotence relies on.
#[test]
fn place_names_prefix_free() {
    let pl = places();
    assert!(pl.places.len() > 300);
    for a in &pl.places {
        for b in &pl.places {
            if a.name != b.name {
                assert!(!b.name.starts_with(&a.name), "{:?} {:?}", a.name, b.name);
            }
        }
    }
}

#[test]
fn large_input_is_fast() {
    let big = "中国浙江省杭州市余杭区文一西路九百六十九号第三层, 100 Market St, ".repeat(12_000);
    assert!(big.len() > 1_000_000);
    let start = std::time::Instant::now();
    assert!(normalize_address(&big).is_some());
    let pathological = "第".repeat(300_000) + &"三".repeat(300_000) + "号";
    assert!(normalize_address(&pathological).is_some());
    let runs = "a北".repeat(300_000);
    assert!(normalize_address(&runs).is_some());
    assert!(start.elapsed().as_secs() < 20);
}

fn check_idempotent(s: &str) -> Result<(), TestCaseError> {
    if let Some(once) = normalize_address(s) {
        prop_assert_eq!(
            normalize_address(&once),
            Some(once.clone()),
            "input {:?}",
            s
        );
    }
    Ok(())
}

proptest! {
    #[test]
    fn never_panics(s in any::<String>()) {
        let _ = normalize_address(&s);
    }

    #[test]
    fn idempotent(s in any::<String>()) {
        check_idempotent(&s)?;
    }

    #[test]
    fn idempotent_on_address_pieces(parts in proptest::collection::vec(
        proptest::sample::select(vec![
            "中国", "中华人民共和国", "北京", "市", "省", "浙江", "杭州", "吉林", "上海",
            "海南", "青海", "藏族自治州", "自治区", "广西", "香港", "特别行政区", "辖区",
            "府", "场", "民中", "区", "路", "第", "一", "二", "两", "十", "百", "千", "零",
            "〇", "三", "号", "楼", "层", "单元", "室", "里", "5", "12", "china", "prc",
            "usa", "beijing", "de", "of", "no", "st", "dr", "n", "e", "fl", "ct", "apt",
            "str", "straße", "strasse", "haupt", "der", "c/", "c/o", "n°", "94105", " ",
            ", ", ".", "-", "/", "#", "'", "\u{301}", "\u{3099}", "か", "가", "\u{11A8}",
            "İ", "ß", "臺", "號", "樓",
        ]),
        0..14,
    )) {
        check_idempotent(&parts.concat())?;
    }
}
