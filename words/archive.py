"""Words for zip checks (geo.archive)."""

from words.core import register

register(texts={
    "zip_unreadable": {"zh": "{source}：不是可读的 ZIP 压缩包（文件可能已损坏或扩展名不符），请重新导出后再上传",
                       "en": "{source}: not a readable zip (damaged, or the extension is wrong); export it again"},
    "zip_too_many_members": {"zh": "{source}：压缩包内有 {count} 个文件，超过上限 {limit} 个，请拆分后分别导入",
                             "en": "{source}: the zip holds {count} files, more than the limit of {limit}; split it"},
    "zip_too_large_expanded": {"zh": "{source}：解压后超过 {limit_mb} MB（已达 {size_mb} MB），未解压，请拆分后导入",
                               "en": "{source}: expands past {limit_mb} MB (reached {size_mb} MB); not extracted, split it"},
    "zip_ratio_too_high": {"zh": "{source}：压缩包内“{member}”压缩比达 {ratio} 倍，超过上限 {limit:g} 倍，疑为恶意压缩包，已拒绝",
                           "en": "{source}: “{member}” is compressed {ratio}×, above the limit of {limit:g}×: refused as a possible zip bomb"},
    "zip_unsafe_member": {"zh": "{source}：压缩包内“{member}”的路径指向上级或绝对路径，已拒绝；请只打包数据文件本身",
                          "en": "{source}: “{member}” points outside the folder (.. or absolute path): refused"},
    "zip_link_member": {"zh": "{source}：压缩包内“{member}”是链接文件，已拒绝；请只打包数据文件本身",
                        "en": "{source}: “{member}” is a link: refused"},
    "zip_nested": {"zh": "{source}：压缩包内还有压缩包“{member}”，请先解开内层压缩包，再上传其中的数据文件",
                   "en": "{source}: holds another zip, “{member}”; unpack it and upload the data inside"},
    "zip_encrypted": {"zh": "{source}：压缩包内“{member}”已加密，请解除密码后再上传",
                      "en": "{source}: “{member}” is encrypted; remove the password and upload again"},
})
