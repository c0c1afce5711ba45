/*
 * render.h — a vocabulary-2 三定 (XML) written back as its official text.
 *
 * Why: 编办 read and publish 三定 as text; a document encoded or corrected as
 * XML must go back to that form.  The result is a list of styled paragraphs,
 * the shape of the .docx container's document (sd_docx_doc: same fields, same
 * style order), so the text and the .docx writer share it.  The wording is the
 * standard one (DOMAIN.md §1): 第N条 articles, （一）…（N） items, Chinese
 * numerals where the official text uses them.  Figures the official wording
 * does not carry (codes, categories, each unit's posts, the situation before
 * the reform) go to a data appendix (附：机构编制数据), one statement a line,
 * that `sdlint import` reads back: import(render(x)) is x.
 * Place: after loading, instead of checking.  Cost: linear in the document.
 */
#ifndef SD_RENDER_H
#define SD_RENDER_H
#include <stddef.h>

#include "error.h"

struct _xmlDoc;

typedef enum { SD_RENDER_TITLE, SD_RENDER_HEADING, SD_RENDER_BODY } sd_render_style;
typedef struct sd_render_para {
    char *text; /* UTF-8, one paragraph, no line break */
    sd_render_style style;
} sd_render_para;
typedef struct sd_render_doc {
    sd_render_para *items;
    size_t count;
    size_t appendix; /* items[appendix…count) are the data appendix (its heading first);
                        a text for publication may stop before it */
} sd_render_doc;

/* Renders the 三定 in doc (root sanding in urn:sdlint:schema:1); SD_EINVAL for
 * another root.  Missing parts are left out, never made up. */
sd_status sd_render_sanding(const struct _xmlDoc *doc, sd_render_doc *out, sd_error *err);
/* The paragraphs as plain text, one a line, "\n" after each (malloc'd). */
sd_status sd_render_text(const sd_render_doc *d, char **text, size_t *len, sd_error *err);
void sd_render_doc_free(sd_render_doc *d);
/* n (1..99999) in Chinese numerals as the official text writes them: 一, 十二,
 * 二十, 一百零五; into buf (at least 64 bytes); "" for other n. */
const char *sd_render_cnum(long n, char *buf, size_t size);

#endif
