/*
 * docx.h — Word documents (.docx) as a list of paragraphs, read and written.
 *
 * Why: 编办 staff draft and publish 三定 in Word, never in XML.  `sdlint import`
 * reads the paragraphs of a .docx and `sdlint render` writes one back; both
 * work on plain UTF-8 paragraphs with a coarse style, which is all the
 * importer needs and all the renderer has to say.
 *
 * A .docx is a zip of WordprocessingML.  The zip is read and written by
 * src/zip.h (stored and deflated entries, ZIP64 fields, data descriptors, CRC
 * checks; over zlib, which libxml2 loads anyway); the XML
 * with libxml2 under the same safe options as src/load.c: no DTD (a DOCTYPE is
 * refused before any declaration is read), no entities, no network.
 *
 * Reading (sd_docx_read): only word/document.xml is required; word/styles.xml
 * and word/numbering.xml are read when present (style names, list labels).
 * Nothing else in the archive is opened.  Refused: a zip that zip.h will not
 * open (a Word 97-2003 .doc or WPS file is named as such; duplicate names,
 * names with NUL or "..", offsets outside the file, entry counts that lie),
 * no word/document.xml, an encrypted or unsupported-compression entry,
 * an entry larger than SD_DOCX_MAX_PART bytes uncompressed (its stated size
 * is checked first and is all that is allocated; an entry that inflates past
 * it is refused, so a zip bomb stops there), a CRC mismatch, XML that is not well-formed or that has a
 * DOCTYPE, nesting deeper than libxml2's 256.
 *
 * What a paragraph is: every w:p of the body, in reading order, including
 * empty ones and those inside table cells (cell by cell, row by row; nested
 * tables in place), content controls (w:sdt) and text boxes (after the
 * paragraph that anchors them; of mc:AlternateContent only the first
 * mc:Choice is read, the VML fallback repeats it).  Its text: the w:t runs
 * joined; w:tab and w:ptab give "\t", w:br and w:cr "\n", w:noBreakHyphen "-"
 * (ruby annotations, w:rt, and hidden runs, w:vanish, are left out);
 * inserted text (w:ins, w:moveTo) kept, deleted text (w:del, w:moveFrom,
 * w:delText) dropped; of a field only its result is kept (never its
 * instruction, w:instrText).
 *
 * Its style: SD_DOCX_TITLE or SD_DOCX_HEADING from w:pStyle — the style's name
 * in styles.xml (or its id when styles.xml lacks it), following w:basedOn:
 * "Title" / "标题" -> TITLE, "heading N" / "Heading*" / "标题 N" -> HEADING —
 * or from an outline level (w:outlineLvl 0-8) -> HEADING; otherwise the
 * centred-and-bold (or >= 18 pt) heuristic: such a paragraph before the first
 * body paragraph is a TITLE (a title may take several lines), later a HEADING;
 * everything else SD_DOCX_BODY.
 *
 * List numbers (w:numPr, on the paragraph or its style): the label Word would
 * show is computed from numbering.xml and put before the text, e.g. "（一）"
 * or "1.".  Counters follow Word: per abstract list, a level's counter
 * restarts when a higher level advances, w:startOverride restarts a w:num.
 * Formats: decimal, decimalZero, decimalFullWidth(2), decimalEnclosedCircle
 * (Chinese) (①-⑳), chineseCounting, chineseCountingThousand,
 * japaneseCounting, taiwaneseCounting (一, 十一, 一百零一), chineseLegalSimplified
 * (壹贰叁), ideographTraditional (甲乙丙), ideographZodiac (子丑寅),
 * lower/upperLetter, lower/upperRoman, none; w:isLgl gives decimal.  Bullets
 * and other formats give no label (the text is kept as it is).  After the
 * label Word's suffix: a space stays a space, a tab becomes nothing after a
 * label ending in a non-ASCII character ("（一）", "一、") and one space
 * otherwise ("1. ").
 *
 * Writing (sd_docx_write): a minimal valid package — [Content_Types].xml,
 * _rels/.rels, word/document.xml, word/_rels/document.xml.rels,
 * word/styles.xml — with the GB/T 9704 look: Normal 仿宋_GB2312 三号, Title
 * 方正小标宋简体 二号 centred, Heading1 黑体 三号, A4 with its margins (top 37 mm,
 * bottom 35 mm, left 28 mm, right 26 mm).  TITLE paragraphs get style Title,
 * HEADING Heading1.  "\t" becomes w:tab, "\n", "\r\n" and "\r" w:br (so they read
 * back as "\t" and "\n"); characters XML cannot carry, other C0 and C1 controls
 * and U+FFFE/U+FFFF are dropped; text that is not UTF-8 is refused
 * (SD_EINVAL).  The bytes are the same for the same input (fixed timestamps),
 * and reading them back gives the same paragraphs and styles.  The caller
 * writes them to a file (atomically: sd_write_atomic).
 *
 * Threads: no global state; libxml2 parsers are per call.
 */
#ifndef SD_DOCX_H
#define SD_DOCX_H

#include <stddef.h>

#include "error.h"

/* Largest uncompressed part read (document.xml of a 三定 is well under 1 MB). */
#define SD_DOCX_MAX_PART ((size_t)32 << 20)

typedef enum sd_docx_style { SD_DOCX_TITLE, SD_DOCX_HEADING, SD_DOCX_BODY } sd_docx_style;

typedef struct sd_docx_para {
    char *text; /* UTF-8, NUL-terminated, never NULL in a read document */
    sd_docx_style style;
} sd_docx_para;

typedef struct sd_docx_doc {
    sd_docx_para *items;
    size_t count;
} sd_docx_doc;

/* Reads the paragraphs of the .docx in bytes[0..len) into *out (which the
 * caller frees with sd_docx_doc_free, also after an error). */
sd_status sd_docx_read(const unsigned char *bytes, size_t len, sd_docx_doc *out, sd_error *err);

/* Writes in as a .docx: *bytes is malloc'd (caller frees), *len its length. */
sd_status sd_docx_write(const sd_docx_doc *in, unsigned char **bytes, size_t *len, sd_error *err);

/* Frees the paragraphs and their texts; leaves *d empty.  NULL is fine. */
void sd_docx_doc_free(sd_docx_doc *d);

#endif
