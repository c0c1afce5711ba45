/*
 * lang.h — the language of messages.  Chinese is the users' language and the
 * default; English on request.  Passed explicitly (never a global) so threads
 * and tests can use different languages at once.
 */
#ifndef SD_LANG_H
#define SD_LANG_H

typedef enum sd_lang { SD_LANG_ZH = 0, SD_LANG_EN = 1 } sd_lang;

/* Picks the text for lang. */
#define SD_TR(lang, zh, en) ((lang) == SD_LANG_EN ? (en) : (zh))

#endif
