//! Chinese administrative region names: the 34 province-level divisions and
//! their prefecture-level divisions, in simplified characters, with their
//! level suffixes (省, 市, 自治区, 自治州, …). Shared by the company and
//! address normalizers.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Province-level divisions: short name, suffixes, prefecture-level divisions.
/// A division written `name:suffix` (autonomous prefectures, leagues,
/// prefectures) takes that suffix; every other one takes 市.
#[rustfmt::skip]
pub const PROVINCES: &[(&str, &[&str], &[&str])] = &[
    ("北京", &["市"], &["北京"]),
    ("天津", &["市"], &["天津"]),
    ("上海", &["市"], &["上海"]),
    ("重庆", &["市"], &["重庆"]),
    ("河北", &["省"], &["石家庄", "唐山", "秦皇岛", "邯郸", "邢台", "保定", "张家口", "承德", "沧州", "廊坊", "衡水"]),
    ("山西", &["省"], &["太原", "大同", "阳泉", "长治", "晋城", "朔州", "晋中", "运城", "忻州", "临汾", "吕梁"]),
    ("内蒙古", &["自治区", "省"], &["呼和浩特", "包头", "乌海", "赤峰", "通辽", "鄂尔多斯", "呼伦贝尔", "巴彦淖尔", "乌兰察布", "兴安:盟", "锡林郭勒:盟", "阿拉善:盟"]),
    ("辽宁", &["省"], &["沈阳", "大连", "鞍山", "抚顺", "本溪", "丹东", "锦州", "营口", "阜新", "辽阳", "盘锦", "铁岭", "朝阳", "葫芦岛"]),
    ("吉林", &["省"], &["长春", "吉林", "四平", "辽源", "通化", "白山", "松原", "白城", "延边:朝鲜族自治州"]),
    ("黑龙江", &["省"], &["哈尔滨", "齐齐哈尔", "鸡西", "鹤岗", "双鸭山", "大庆", "伊春", "佳木斯", "七台河", "牡丹江", "黑河", "绥化", "大兴安岭:地区"]),
    ("江苏", &["省"], &["南京", "无锡", "徐州", "常州", "苏州", "南通", "连云港", "淮安", "盐城", "扬州", "镇江", "泰州", "宿迁"]),
    ("浙江", &["省"], &["杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水"]),
    ("安徽", &["省"], &["合肥", "芜湖", "蚌埠", "淮南", "马鞍山", "淮北", "铜陵", "安庆", "黄山", "滁州", "阜阳", "宿州", "六安", "亳州", "池州", "宣城"]),
    ("福建", &["省"], &["福州", "厦门", "莆田", "三明", "泉州", "漳州", "南平", "龙岩", "宁德"]),
    ("江西", &["省"], &["南昌", "景德镇", "萍乡", "九江", "新余", "鹰潭", "赣州", "吉安", "宜春", "抚州", "上饶"]),
    ("山东", &["省"], &["济南", "青岛", "淄博", "枣庄", "东营", "烟台", "潍坊", "济宁", "泰安", "威海", "日照", "临沂", "德州", "聊城", "滨州", "菏泽"]),
    ("河南", &["省"], &["郑州", "开封", "洛阳", "平顶山", "安阳", "鹤壁", "新乡", "焦作", "濮阳", "许昌", "漯河", "三门峡", "南阳", "商丘", "信阳", "周口", "驻马店", "济源"]),
    ("湖北", &["省"], &["武汉", "黄石", "十堰", "宜昌", "襄阳", "鄂州", "荆门", "孝感", "荆州", "黄冈", "咸宁", "随州", "恩施:土家族苗族自治州", "仙桃", "潜江", "天门"]),
    ("湖南", &["省"], &["长沙", "株洲", "湘潭", "衡阳", "邵阳", "岳阳", "常德", "张家界", "益阳", "郴州", "永州", "怀化", "娄底", "湘西:土家族苗族自治州"]),
    ("广东", &["省"], &["广州", "韶关", "深圳", "珠海", "汕头", "佛山", "江门", "湛江", "茂名", "肇庆", "惠州", "梅州", "汕尾", "河源", "阳江", "清远", "东莞", "中山", "潮州", "揭阳", "云浮"]),
    ("广西", &["壮族自治区", "自治区", "省"], &["南宁", "柳州", "桂林", "梧州", "北海", "防城港", "钦州", "贵港", "玉林", "百色", "贺州", "河池", "来宾", "崇左"]),
    ("海南", &["省"], &["海口", "三亚", "三沙", "儋州"]),
    ("四川", &["省"], &["成都", "自贡", "攀枝花", "泸州", "德阳", "绵阳", "广元", "遂宁", "内江", "乐山", "南充", "眉山", "宜宾", "广安", "达州", "雅安", "巴中", "资阳", "阿坝:藏族羌族自治州", "甘孜:藏族自治州", "凉山:彝族自治州"]),
    ("贵州", &["省"], &["贵阳", "六盘水", "遵义", "安顺", "毕节", "铜仁", "黔西南:布依族苗族自治州", "黔东南:苗族侗族自治州", "黔南:布依族苗族自治州"]),
    ("云南", &["省"], &["昆明", "曲靖", "玉溪", "保山", "昭通", "丽江", "普洱", "临沧", "楚雄:彝族自治州", "红河:哈尼族彝族自治州", "文山:壮族苗族自治州", "西双版纳:傣族自治州", "大理:白族自治州", "德宏:傣族景颇族自治州", "怒江:傈僳族自治州", "迪庆:藏族自治州"]),
    ("西藏", &["自治区", "省"], &["拉萨", "日喀则", "昌都", "林芝", "山南", "那曲", "阿里:地区"]),
    ("陕西", &["省"], &["西安", "铜川", "宝鸡", "咸阳", "渭南", "延安", "汉中", "榆林", "安康", "商洛"]),
    ("甘肃", &["省"], &["兰州", "嘉峪关", "金昌", "白银", "天水", "武威", "张掖", "平凉", "酒泉", "庆阳", "定西", "陇南", "临夏:回族自治州", "甘南:藏族自治州"]),
    ("青海", &["省"], &["西宁", "海东", "海北:藏族自治州", "黄南:藏族自治州", "海南:藏族自治州", "果洛:藏族自治州", "玉树:藏族自治州", "海西:蒙古族藏族自治州"]),
    ("宁夏", &["回族自治区", "自治区", "省"], &["银川", "石嘴山", "吴忠", "固原", "中卫"]),
    ("新疆", &["维吾尔自治区", "自治区", "省"], &["乌鲁木齐", "克拉玛依", "吐鲁番", "哈密", "昌吉:回族自治州", "博尔塔拉:蒙古自治州", "巴音郭楞:蒙古自治州", "克孜勒苏:柯尔克孜自治州", "伊犁:哈萨克自治州", "阿克苏:地区", "喀什:地区", "和田:地区", "塔城:地区", "阿勒泰:地区", "石河子"]),
    ("台湾", &["省"], &["台北", "新北", "桃园", "台中", "台南", "高雄", "基隆", "新竹", "嘉义"]),
    ("香港", &["特别行政区", "特区"], &["香港"]),
    ("澳门", &["特别行政区", "特区"], &["澳门"]),
];

/// The region name at the start of `s` with its level suffix, longest
/// match first: `Some(len_in_bytes)`. 广东省深圳市… → the length of 广东省.
pub fn leading_region(s: &str) -> Option<usize> {
    let first = s.chars().next()?;
    let candidates = region_index().get(&first)?;
    let mut best: Option<usize> = None;
    for (name, suffixes) in candidates {
        if let Some(rest) = s.strip_prefix(name.as_str()) {
            let len = name.len() + suffix_len(rest, suffixes);
            if best.is_none_or(|b| len > b) {
                best = Some(len);
            }
        }
    }
    best
}

/// A region name and the suffixes it may carry.
type RegionEntry = (String, Vec<&'static str>);

/// The region names by their first character: provinces with their
/// suffixes, cities with 市. Autonomous prefectures, leagues and prefectures
/// (阿里地区, 延边朝鲜族自治州) are named only with their suffix: their bare
/// names are too often ordinary words (阿里巴巴).
fn region_index() -> &'static HashMap<char, Vec<RegionEntry>> {
    static INDEX: OnceLock<HashMap<char, Vec<RegionEntry>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: HashMap<char, Vec<RegionEntry>> = HashMap::new();
        let mut add = |name: String, suffixes: Vec<&'static str>| {
            if let Some(c) = name.chars().next() {
                index.entry(c).or_default().push((name, suffixes));
            }
        };
        for (province, suffixes, cities) in PROVINCES {
            add(province.to_string(), suffixes.to_vec());
            for city in cities.iter() {
                match city.split_once(':') {
                    None => add(city.to_string(), vec!["市"]),
                    Some((name, suffix)) => add(format!("{name}{suffix}"), vec![]),
                }
            }
        }
        index
    })
}

fn suffix_len(rest: &str, suffixes: &[&str]) -> usize {
    suffixes
        .iter()
        .filter(|suf| rest.starts_with(*suf))
        .map(|suf| suf.len())
        .max()
        .unwrap_or(0)
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
        assert!(is_region("延边朝鲜族自治州") && is_region("朝阳") && !is_region("阿里"));
        assert_eq!(leading_region("阿里巴巴"), None);
        assert!(!is_region("北京华为"));
    }
}
