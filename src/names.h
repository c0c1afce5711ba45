/*
 * names.h — agency names and duty texts compared as people read them.
 *
 * The plan rules (../shared/DOMAIN.md §3: SD202/SD203 counterparts, SD205 one
 * duty one agency, SD209 职责分工, SD213 plan vs 三定) match names and texts
 * written by different hands: full-width letters and digits, a name broken
 * over lines, a trailing 。, 中共沈阳市委组织部 beside 中国共产党沈阳市委员会组织部
 * beside the catalogue's 组织部.  This module gives them one comparable form,
 * and "did you mean" by characters for a name that matches nothing.
 *
 * Pure functions over UTF-8 bytes, no state: safe on any thread.  Bytes that
 * are not UTF-8 are kept as they are, one by one — never folded, never taken
 * for blanks or punctuation, never cut — so any input gives a result.
 */
#ifndef SD_NAMES_H
#define SD_NAMES_H

#include <stddef.h>

/* The comparable form of s[0..n), written to out (room for n + 1 bytes; out
 * may be s itself: the form is never longer), NUL-terminated; returns its
 * length.  In order of effect:
 *   - full-width ASCII U+FF01–U+FF5E becomes ASCII (ＡＢＣ１２３（） → ABC123()),
 *     and U+3000 ideographic space a blank;
 *   - blanks (XML's space, tab, CR, LF; U+3000; U+00A0) are dropped at both
 *     ends and next to any character that is not ASCII (a Chinese name
 *     broken over lines is one name), and between two ASCII characters
 *     a run of them becomes one space;
 *   - trailing punctuation is dropped, however much of it: 。 、 ｡ ､ and
 *     . , ; : (full-width ．，；： fold to these).  Closing quotes and
 *     brackets stay: they close something inside (…（试行）, …"三定"").
 * Letters keep their case; nothing else is folded (not NFKC at large). */
size_t sd_names_normalize_n(const char *s, size_t n, char *out);
/* The same for a string (NULL counts as ""), in new memory; NULL when out of
 * memory. */
char *sd_names_normalize(const char *s);

/* How a name is written with respect to the party and the jurisdiction. */
typedef enum sd_names_form {
    SD_NAMES_PLAIN = 0,     /* no party prefix: 沈阳市自然资源局, 自然资源局 */
    SD_NAMES_ZHONGGONG = 1, /* 中共…: 中共沈阳市委组织部, 中共沈阳市纪律检查委员会 */
    SD_NAMES_FULL = 2,      /* 中国共产党…: 中国共产党沈阳市委员会组织部 */
    SD_NAMES_COMMITTEE = 3  /* the jurisdiction then 委, no prefix: 沈阳市委组织部 */
} sd_names_form;

typedef struct sd_names_split {
    sd_names_form form;
    int jurisdiction; /* 1: the jurisdiction's name stood where it belongs (first, or after the prefix) */
    int committee;    /* 1: a 委 or 委员会 right after it was removed */
} sd_names_split;

/* The local part of name (catalogue.xsd): of the normalised name, remove in
 * this order a leading 中共 or 中国共产党, the jurisdiction's name (normalised;
 * NULL or "": nothing to remove), and right after that name a 委员会 or a 委:
 *   中共沈阳市委组织部 → 组织部       中国共产党沈阳市委员会组织部 → 组织部
 *   沈阳市自然资源局 → 自然资源局     中共沈阳市委 → ""     沈阳市委组织部 → 组织部
 *   中共康平县委办公室 (jurisdiction 沈阳市) → 康平县委办公室, jurisdiction 0
 * In new memory (NULL when out of memory); split, when not NULL, says what
 * was found. */
char *sd_names_local_part(const char *name, const char *jurisdiction, sd_names_split *split);
/* The same for a name and a jurisdiction (NULL: none) already in
 * sd_names_normalize form — as a UTF-8 text is once normalised, the form being
 * its own normal form — without normalising them again: the offset of the
 * local part in name; nothing is allocated.  The plan rules split every
 * agency name of a plan three ways, against one jurisdiction or two. */
size_t sd_names_local_offset(const char *name, const char *jurisdiction, sd_names_split *split);
/* The form of name (normalised first); jurisdiction as above, needed only to
 * tell SD_NAMES_COMMITTEE. */
sd_names_form sd_names_party_form(const char *name, const char *jurisdiction);
/* "plain", "zhonggong", "full", "committee". */
const char *sd_names_form_name(sd_names_form f);

/* Edit distance (insert, delete, replace one character) between a and b
 * counted in characters, not bytes — 自然资源厅 vs 自然资源部 is 1 — with
 * ASCII letters compared without case; a byte that is not UTF-8 is one
 * character.  Compares the strings as given (normalise first to compare
 * forms).  (size_t)-1 when out of memory. */
size_t sd_names_distance(const char *a, const char *b);
/* Length of s in characters, counted as sd_names_distance counts them. */
size_t sd_names_length(const char *s);

/* A name a lookup could have meant: a catalogue entry's name (alias_of NULL),
 * or an alias (alias_of the name of the entry it stands for). */
typedef struct sd_names_candidate {
    const char *name;
    const char *alias_of;
} sd_names_candidate;

typedef struct sd_names_suggestion {
    size_t index;    /* into the candidates */
    size_t distance; /* in characters, between the normalised forms */
} sd_names_suggestion;

/* The candidates closest to name, at most max of them, into out; returns how
 * many.  Names are compared normalised (pass local parts: 自然资源部, not
 * 沈阳市自然资源部).  A candidate counts when its distance d is at most a
 * third of the longer name's length in characters (at least 1) and less than
 * the shorter one's (never a name with every character replaced): 自然资源部
 * → 自然资源厅 (1 of 5), 卫生健康委 → 卫生健康委员会 (2 of 7).  An exact match (0)
 * counts too.  Order: by distance, then entries' own names before aliases,
 * then candidate order, so ties come out the same in every run.  One entry is suggested once: by its own name, or by its
 * closest alias (an entry's own name wins a tie), so the caller can say
 * "did you mean 自然资源厅 (别名 of 自然资源厅)".  (size_t)-1 when out of memory.
 * Cost O(n · |name| · |candidate|) in characters, plus O(n · max). */
size_t sd_names_suggest(const char *name, const sd_names_candidate *cands, size_t n,
                        sd_names_suggestion *out, size_t max);

#endif
