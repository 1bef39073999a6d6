//! Chinese administrative region names: the 34 province-level divisions and
//! the prefecture-level cities, in simplified characters, without their
//! level suffixes (省, 市, 自治区, …). Shared by the company and address
//! normalizers.

/// Province-level divisions: (short name, full name).
pub const PROVINCES: &[(&str, &str)] = &[
    ("北京", "北京市"),
    ("天津", "天津市"),
    ("上海", "上海市"),
    ("重庆", "重庆市"),
    ("河北", "河北省"),
    ("山西", "山西省"),
    ("辽宁", "辽宁省"),
    ("吉林", "吉林省"),
    ("黑龙江", "黑龙江省"),
    ("江苏", "江苏省"),
    ("浙江", "浙江省"),
    ("安徽", "安徽省"),
    ("福建", "福建省"),
    ("江西", "江西省"),
    ("山东", "山东省"),
    ("河南", "河南省"),
    ("湖北", "湖北省"),
    ("湖南", "湖南省"),
    ("广东", "广东省"),
    ("海南", "海南省"),
    ("四川", "四川省"),
    ("贵州", "贵州省"),
    ("云南", "云南省"),
    ("陕西", "陕西省"),
    ("甘肃", "甘肃省"),
    ("青海", "青海省"),
    ("台湾", "台湾省"),
    ("内蒙古", "内蒙古自治区"),
    ("广西", "广西壮族自治区"),
    ("西藏", "西藏自治区"),
    ("宁夏", "宁夏回族自治区"),
    ("新疆", "新疆维吾尔自治区"),
    ("香港", "香港特别行政区"),
    ("澳门", "澳门特别行政区"),
];

/// Prefecture-level cities (and the municipalities' names again), by
/// province. 朝阳 (Liaoning) is left out on purpose: it is far more often the
/// Beijing district 朝阳区.
pub const CITIES: &[&str] = &[
    // 河北
    "石家庄",
    "唐山",
    "秦皇岛",
    "邯郸",
    "邢台",
    "保定",
    "张家口",
    "承德",
    "沧州",
    "廊坊",
    "衡水",
    // 山西
    "太原",
    "大同",
    "阳泉",
    "长治",
    "晋城",
    "朔州",
    "晋中",
    "运城",
    "忻州",
    "临汾",
    "吕梁",
    // 内蒙古
    "呼和浩特",
    "包头",
    "乌海",
    "赤峰",
    "通辽",
    "鄂尔多斯",
    "呼伦贝尔",
    "巴彦淖尔",
    "乌兰察布",
    // 辽宁
    "沈阳",
    "大连",
    "鞍山",
    "抚顺",
    "本溪",
    "丹东",
    "锦州",
    "营口",
    "阜新",
    "辽阳",
    "盘锦",
    "铁岭",
    "葫芦岛",
    // 吉林
    "长春",
    "四平",
    "辽源",
    "通化",
    "白山",
    "松原",
    "白城",
    // 黑龙江
    "哈尔滨",
    "齐齐哈尔",
    "鸡西",
    "鹤岗",
    "双鸭山",
    "大庆",
    "伊春",
    "佳木斯",
    "七台河",
    "牡丹江",
    "黑河",
    "绥化",
    // 江苏
    "南京",
    "无锡",
    "徐州",
    "常州",
    "苏州",
    "南通",
    "连云港",
    "淮安",
    "盐城",
    "扬州",
    "镇江",
    "泰州",
    "宿迁",
    // 浙江
    "杭州",
    "宁波",
    "温州",
    "嘉兴",
    "湖州",
    "绍兴",
    "金华",
    "衢州",
    "舟山",
    "台州",
    "丽水",
    // 安徽
    "合肥",
    "芜湖",
    "蚌埠",
    "淮南",
    "马鞍山",
    "淮北",
    "铜陵",
    "安庆",
    "黄山",
    "滁州",
    "阜阳",
    "宿州",
    "六安",
    "亳州",
    "池州",
    "宣城",
    // 福建
    "福州",
    "厦门",
    "莆田",
    "三明",
    "泉州",
    "漳州",
    "南平",
    "龙岩",
    "宁德",
    // 江西
    "南昌",
    "景德镇",
    "萍乡",
    "九江",
    "新余",
    "鹰潭",
    "赣州",
    "吉安",
    "宜春",
    "抚州",
    "上饶",
    // 山东
    "济南",
    "青岛",
    "淄博",
    "枣庄",
    "东营",
    "烟台",
    "潍坊",
    "济宁",
    "泰安",
    "威海",
    "日照",
    "临沂",
    "德州",
    "聊城",
    "滨州",
    "菏泽",
    // 河南
    "郑州",
    "开封",
    "洛阳",
    "平顶山",
    "安阳",
    "鹤壁",
    "新乡",
    "焦作",
    "濮阳",
    "许昌",
    "漯河",
    "三门峡",
    "南阳",
    "商丘",
    "信阳",
    "周口",
    "驻马店",
    // 湖北
    "武汉",
    "黄石",
    "十堰",
    "宜昌",
    "襄阳",
    "鄂州",
    "荆门",
    "孝感",
    "荆州",
    "黄冈",
    "咸宁",
    "随州",
    // 湖南
    "长沙",
    "株洲",
    "湘潭",
    "衡阳",
    "邵阳",
    "岳阳",
    "常德",
    "张家界",
    "益阳",
    "郴州",
    "永州",
    "怀化",
    "娄底",
    // 广东
    "广州",
    "韶关",
    "深圳",
    "珠海",
    "汕头",
    "佛山",
    "江门",
    "湛江",
    "茂名",
    "肇庆",
    "惠州",
    "梅州",
    "汕尾",
    "河源",
    "阳江",
    "清远",
    "东莞",
    "中山",
    "潮州",
    "揭阳",
    "云浮",
    // 广西
    "南宁",
    "柳州",
    "桂林",
    "梧州",
    "北海",
    "防城港",
    "钦州",
    "贵港",
    "玉林",
    "百色",
    "贺州",
    "河池",
    "来宾",
    "崇左",
    // 海南
    "海口",
    "三亚",
    "三沙",
    "儋州",
    // 四川
    "成都",
    "自贡",
    "攀枝花",
    "泸州",
    "德阳",
    "绵阳",
    "广元",
    "遂宁",
    "内江",
    "乐山",
    "南充",
    "眉山",
    "宜宾",
    "广安",
    "达州",
    "雅安",
    "巴中",
    "资阳",
    // 贵州
    "贵阳",
    "六盘水",
    "遵义",
    "安顺",
    "毕节",
    "铜仁",
    // 云南
    "昆明",
    "曲靖",
    "玉溪",
    "保山",
    "昭通",
    "丽江",
    "普洱",
    "临沧",
    // 西藏
    "拉萨",
    "日喀则",
    "昌都",
    "林芝",
    "山南",
    "那曲",
    // 陕西
    "西安",
    "铜川",
    "宝鸡",
    "咸阳",
    "渭南",
    "延安",
    "汉中",
    "榆林",
    "安康",
    "商洛",
    // 甘肃
    "兰州",
    "嘉峪关",
    "金昌",
    "白银",
    "天水",
    "武威",
    "张掖",
    "平凉",
    "酒泉",
    "庆阳",
    "定西",
    "陇南",
    // 青海
    "西宁",
    "海东",
    // 宁夏
    "银川",
    "石嘴山",
    "吴忠",
    "固原",
    "中卫",
    // 新疆
    "乌鲁木齐",
    "克拉玛依",
    "吐鲁番",
    "哈密",
    // 台湾
    "台北",
    "新北",
    "桃园",
    "台中",
    "台南",
    "高雄",
];

/// The region name at the start of `s` with its level suffix, longest
/// match first: `Some(len_in_bytes)`. 广东省深圳市… → the length of 广东省.
pub fn leading_region(s: &str) -> Option<usize> {
    let mut best: Option<usize> = None;
    let mut consider = |len: usize| {
        if best.is_none_or(|b| len > b) {
            best = Some(len);
        }
    };
    for (short, full) in PROVINCES {
        if s.starts_with(full) {
            consider(full.len());
        } else if let Some(rest) = s.strip_prefix(short) {
            consider(short.len() + suffix_len(rest, &["省", "市", "自治区"]));
        }
    }
    for city in CITIES {
        if let Some(rest) = s.strip_prefix(city) {
            consider(city.len() + suffix_len(rest, &["市"]));
        }
    }
    best
}

fn suffix_len(rest: &str, suffixes: &[&str]) -> usize {
    suffixes
        .iter()
        .find(|suf| rest.starts_with(*suf))
        .map_or(0, |suf| suf.len())
}

/// True when the whole of `s` names a region (北京, 北京市, 深圳, 广东省, 中国).
pub fn is_region(s: &str) -> bool {
    s == "中国" || leading_region(s) == Some(s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        assert_eq!(leading_region("北京市朝阳区"), Some("北京市".len()));
        assert_eq!(leading_region("北京朝阳区"), Some("北京".len()));
        assert_eq!(leading_region("广东省深圳市"), Some("广东省".len()));
        assert_eq!(
            leading_region("广西壮族自治区南宁市"),
            Some("广西壮族自治区".len())
        );
        assert_eq!(leading_region("内蒙古包头"), Some("内蒙古".len()));
        assert_eq!(leading_region("深圳市腾讯"), Some("深圳市".len()));
        assert_eq!(leading_region("张家口市"), Some("张家口市".len()));
        assert_eq!(leading_region("华为技术"), None);
        assert!(
            is_region("北京")
                && is_region("上海市")
                && is_region("中国")
                && is_region("香港特别行政区")
        );
        assert!(!is_region("北京华为") && !is_region("朝阳"));
        let mut all: Vec<&str> = CITIES.to_vec();
        all.extend(PROVINCES.iter().map(|p| p.0));
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n, "a region is listed twice");
    }
}
