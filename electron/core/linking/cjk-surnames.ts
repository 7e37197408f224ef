// Common Chinese, Korean and Japanese family names in their own script and the Latin spellings mail
// and X use for them (pinyin and older spellings, Korean and Japanese romanizations). A given name in
// these scripts is too varied to read without a dictionary; a family name is not: the hundred most
// common Chinese ones cover most people, the twenty most common Korean ones about half of Koreans.

const TABLE = `
王 wang wong|李 li lee|张 張 zhang chang cheung|刘 劉 liu lau lao|陈 陳 chen chan tan|杨 楊 yang yeung|黄 黃 huang wong|赵 趙 zhao chao chiu
吴 吳 wu ng woo|周 zhou chou chow|徐 xu hsu tsui|孙 孫 sun suen|马 馬 ma mah|朱 zhu chu|胡 hu woo|郭 guo kwok kuo|何 he ho|高 gao kao ko
林 lin lam lim|罗 羅 luo lo law|郑 鄭 zheng cheng chang|梁 liang leung|谢 謝 xie hsieh tse|宋 song sung|唐 tang tong|许 許 xu hsu hui
韩 韓 han hon|冯 馮 feng fung|邓 鄧 deng teng tang|曹 cao tsao cho|彭 peng pang|曾 zeng tseng tsang|肖 蕭 xiao hsiao siu|田 tian tien
董 dong tung|袁 yuan yuen|潘 pan poon|于 yu|蒋 蔣 jiang chiang|蔡 cai tsai choi|余 yu yee|杜 du tu|叶 葉 ye yeh yip|程 cheng ching
苏 蘇 su soo|魏 wei|吕 呂 lu lv lui|丁 ding ting|任 ren yam|沈 shen shum|姚 yao yiu|卢 盧 lu lo|姜 jiang chiang|崔 cui tsui choi
钟 鍾 zhong chung|谭 譚 tan tam|陆 陸 lu luk|汪 wang|范 fan|金 jin kim|石 shi shek|廖 liao liu|贾 賈 jia chia|夏 xia ha|韦 韋 wei wai
付 fu|方 fang fong|白 bai pak|邹 鄒 zou chow|孟 meng mang|熊 xiong hung|秦 qin chun|邱 qiu yau|江 jiang kong|尹 yin wan|薛 xue sit
段 duan tuen|雷 lei lui|侯 hou hau|龙 龍 long lung|史 shi sze|陶 tao to|黎 li lai|贺 賀 he ho|顾 顧 gu ku koo|毛 mao mo|郝 hao
龚 龔 gong kung|邵 shao shiu|万 萬 wan man|钱 錢 qian chin|严 嚴 yan yim|武 wu mo|戴 dai tai|莫 mo mok|孔 kong hung|汤 湯 tang tong
김 kim gim|이 lee yi rhee li|박 park pak bak|최 choi choe|정 jung jeong chung|강 kang gang|조 cho jo|윤 yoon yun|장 jang chang
임 lim im|한 han|오 oh o|서 seo suh|신 shin sin|권 kwon gwon|황 hwang|안 ahn an|송 song|류 ryu yoo yu|홍 hong
佐藤 sato satou|鈴木 suzuki|高橋 takahashi|田中 tanaka|渡辺 渡部 watanabe|伊藤 ito itou|山本 yamamoto|中村 nakamura|小林 kobayashi
加藤 kato katou|吉田 yoshida|山田 yamada|佐々木 sasaki|山口 yamaguchi|松本 matsumoto|井上 inoue|木村 kimura|林 hayashi|斎藤 斉藤 saito
清水 shimizu|山崎 yamazaki|森 mori|池田 ikeda|橋本 hashimoto|阿部 abe|石川 ishikawa|山下 yamashita|中島 nakajima|石井 ishii|小川 ogawa
前田 maeda|岡田 okada|長谷川 hasegawa|藤田 fujita|後藤 goto|近藤 kondo|村上 murakami|遠藤 endo|青木 aoki|坂本 sakamoto|西村 nishimura
`;

/** Native spelling → Latin spellings, built from TABLE on first use. */
let latinCache: Map<string, string[]> | null = null;

function latinSpellings(): Map<string, string[]> {
  if (latinCache) return latinCache;
  const map = new Map<string, string[]>();
  for (const group of TABLE.split(/[|\n]/)) {
    const parts = group.trim().split(/\s+/).filter(Boolean);
    const latin = parts.filter((p) => /^[a-z]+$/.test(p));
    for (const n of parts) if (!/^[a-z]+$/.test(n)) map.set(n, [...new Set([...(map.get(n) ?? []), ...latin])]);
  }
  latinCache = map;
  return map;
}

/** The Latin spellings of a family name written in Chinese, Korean or Japanese script; [] when not a common one. */
export function cjkSurnameSpellings(name: string): string[] {
  return latinSpellings().get(name) ?? [];
}

/** Whether a family name in CJK or Hangul script and one in Latin letters can be the same ("王" and "Wang"). */
export function cjkSurnamesFit(a: string, b: string): boolean {
  return cjkSurnameSpellings(a).includes(b) || cjkSurnameSpellings(b).includes(a);
}
