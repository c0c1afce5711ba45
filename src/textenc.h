/*
 * textenc.h — turning the bytes of a plain-text 三定 into UTF-8.
 *
 * Why: 编办 texts arrive as whatever the author's editor saved: UTF-8 (often
 * with a BOM from Windows Notepad), UTF-16 with a BOM, or GB18030/GBK from
 * older Chinese systems.  `sdlint import` works on UTF-8 only, so this is the
 * one place where text input is decoded, and the one place that says which
 * encoding it found and, for bad input, at which byte it went wrong.
 *
 * Place in the pipeline: read file -> sd_text_decode -> importer (UTF-8
 * paragraphs).  Cost: one validating pass, plus one iconv pass when the text is
 * not UTF-8; the result is at most 2x the input for GB18030, 1.5x for UTF-16.
 * No global state: iconv descriptors are opened and closed per call.
 */
#ifndef SD_TEXTENC_H
#define SD_TEXTENC_H

#include <stddef.h>

#include "error.h"

/*
 * Decodes bytes[0..len) to UTF-8.
 *
 * declared == NULL (detection), in this order:
 *   - a UTF-8 BOM (EF BB BF): the rest must be UTF-8; the BOM is dropped;
 *   - a UTF-16 BOM (FF FE or FE FF): UTF-16LE / UTF-16BE; the BOM is dropped;
 *   - bytes that are valid UTF-8 (strict: no overlong forms, no surrogates);
 *   - otherwise bytes that decode cleanly as GB18030 (which includes GBK and
 *     GB2312) with glibc's iconv;
 *   - otherwise SD_EENCODING, naming the byte offset of the first byte that is
 *     not UTF-8 (and where GB18030 failed too).
 * declared != NULL: the bytes are decoded as that encoding (any name iconv
 * knows: "GBK", "GB18030", "UTF-16LE", "BIG5"...; "UTF-8" also drops a BOM).
 * An unknown name is SD_EINVAL; bytes that do not decode are SD_EENCODING with
 * the byte offset.
 *
 * The text must not contain NUL (U+0000): it is refused with its offset (the
 * usual cause is UTF-16 without a BOM; the message says so).
 *
 * On SD_OK, *utf8 is a malloc'd NUL-terminated UTF-8 string of *utf8_len bytes
 * (caller frees) and *detected (if not NULL) names what was used: "UTF-8",
 * "UTF-16LE", "UTF-16BE", "GB18030", or declared itself (valid as long as the
 * caller's string is).  On error *utf8 is NULL and err says why; err->line is 0
 * and the offset is in the message.
 */
sd_status sd_text_decode(const unsigned char *bytes, size_t len, const char *declared,
                         char **utf8, size_t *utf8_len, const char **detected, sd_error *err);

#endif
