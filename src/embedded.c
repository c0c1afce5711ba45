/*
 * embedded.c — lookup in the generated table (a handful of entries: linear scan).
 */
#include "embedded.h"

#include <string.h>

const sd_embedded_file *sd_embedded_find(const char *name)
{
    for (const sd_embedded_file *f = sd_embedded_files; f->name != NULL; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

const sd_embedded_file *sd_embedded_schema(const char *name)
{
    for (const sd_embedded_file *f = sd_embedded_schemas; f->name != NULL; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

const sd_embedded_file *sd_embedded_lean_pack(const char *name, sd_lang lang)
{
    const sd_embedded_file *t =
        lang == SD_LANG_EN ? sd_embedded_lean_packs_en : sd_embedded_lean_packs_zh;
    const char *dot = strrchr(name, '.');
    size_t stem = dot ? (size_t)(dot - name) : strlen(name);
    for (const sd_embedded_file *f = t; f->name != NULL; f++)
        if (strncmp(f->name, name, stem) == 0 && strcmp(f->name + stem, ".img") == 0)
            return f;
    return NULL;
}
