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

const sd_embedded_file *sd_embedded_lean_pack(const char *name)
{
    for (const sd_embedded_file *f = sd_embedded_lean_packs; f->name != NULL; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}
