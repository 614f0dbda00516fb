#include "doc.h"
#include "buf.h"
#include "swar.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The bit-fields of cl_block hold every value of theirs. */
_Static_assert(CL_BLOCK_SEPARATOR < 1 << 4, "cl_block.kind has 4 bits");
_Static_assert(CL_BLOCK_FINAL < 1 << 5, "cl_block.flags has 5 bits");
_Static_assert(CL_DROP < 1 << 1, "cl_block.decision has 1 bit");

static const char *const format_names[] = { "text", "markdown", "html" };
static const char *const kind_names[] = {
    "paragraph", "heading", "list-item", "quote", "code", "table-row",
    "caption", "separator",
};
static const char *const meta_names[] = { "title", "author", "date", "site", "url",
                                             "date_modified",
                                             "lang", "description", "image", "tags" };

const char *cl_format_name(cl_format f)
{
    return (unsigned)f < CL_FORMAT_COUNT ? format_names[f] : "unknown";
}

const char *cl_block_kind_name(cl_block_kind k)
{
    return (unsigned)k < sizeof kind_names / sizeof *kind_names ? kind_names[k] : "unknown";
}

const char *cl_meta_field_name(cl_meta_field f)
{
    return (unsigned)f < CL_META_COUNT ? meta_names[f] : "unknown";
}

/* ---- reasons ------------------------------------------------------------ */

/*
 * Reasons are interned: a document has a few distinct ones (a rule's name,
 * a step of the classifier) but may have millions of blocks, which then
 * hold a pointer each rather than a copy.  Every string is stored after a
 * pointer to its table, so that cl_block_decide(), handed a block alone,
 * finds the table through the block's current reason: every block starts
 * with the table's "".  The table is open addressing over a power of two
 * slots, never more than half full.  It lives in the document's own
 * allocation, with room for the slots and strings of a typical document:
 * most documents are cleaned in tens of microseconds, where a malloc and a
 * free per reason would show.
 */
typedef struct reason_entry {
    cl_reasons *table;
    uint32_t    len;       /* under CL_REASON_MAX */
    uint32_t    malloced;  /* 1: its own malloc; 0: in the table's arena */
    char        text[];
} reason_entry;

#define REASON_SLOTS_FIRST 64     /* 32 distinct reasons before a malloc */
#define REASON_ARENA       2048   /* their strings, before a malloc each */

struct cl_reasons {
    reason_entry       **slots;       /* inline_slots until they fill up */
    size_t               nslots, n;
    const reason_entry  *none;        /* "", every block's reason until decided */
    const reason_entry  *last;        /* the last one asked for: runs of blocks
                                         are decided alike, and a compare beats
                                         a hash */
    int                  oom;         /* an interning failed: see cl_doc_oom() */
    size_t               arena_used;
    size_t               nmalloced;   /* entries outside the arena */
    reason_entry        *inline_slots[REASON_SLOTS_FIRST];
    _Alignas(reason_entry) char arena[REASON_ARENA];
};

/* A document and its reason table, allocated and freed as one. */
typedef struct doc_alloc {
    cl_doc     doc;         /* first: a cl_doc * is the allocation */
    cl_reasons reasons;
} doc_alloc;

/* Reasons differ in their first or last bytes ("rule byline", "rule
 * share"): those and the length hash well enough, in a few instructions. */
static size_t reason_hash(const char *s, size_t len)
{
    uint64_t head = 0, tail = 0;
    memcpy(&head, s, len < 8 ? len : 8);
    if (len > 8)
        memcpy(&tail, s + len - 8, 8);
    uint64_t h = head * 0x9E3779B97F4A7C15u ^ (tail + len) * 0xC2B2AE3D27D4EB4Fu;
    return (size_t)(h ^ h >> 29);
}

/* The slot that holds s[0..len) or, when absent, the empty one it goes in. */
static reason_entry **reason_slot(reason_entry **slots, size_t nslots, const char *s,
                                  size_t len)
{
    size_t i = reason_hash(s, len) & (nslots - 1);
    while (slots[i] && !(slots[i]->len == len && memcmp(slots[i]->text, s, len) == 0))
        i = (i + 1) & (nslots - 1);
    return &slots[i];
}

static int reasons_grow(cl_reasons *t)
{
    size_t nslots = t->nslots * 2;
    reason_entry **slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < t->nslots; i++)
        if (t->slots[i])
            *reason_slot(slots, nslots, t->slots[i]->text, t->slots[i]->len) = t->slots[i];
    if (t->slots != t->inline_slots)
        free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
    return 0;
}

/* Room for an entry of `len` bytes of text: in the arena while it lasts. */
static reason_entry *reason_alloc(cl_reasons *t, size_t len)
{
    size_t size = sizeof(reason_entry) + len + 1;
    size_t aligned = (size + _Alignof(reason_entry) - 1) & ~(_Alignof(reason_entry) - 1);
    reason_entry *e;
    if (REASON_ARENA - t->arena_used < aligned) {
        if (!(e = malloc(size)))
            return NULL;
        e->malloced = 1;
        t->nmalloced++;
        return e;
    }
    e = (reason_entry *)(t->arena + t->arena_used);
    e->malloced = 0;
    t->arena_used += aligned;
    return e;
}

/* The table's copy of `reason`, cut to CL_REASON_MAX - 1 bytes; NULL on
 * allocation failure. */
static const reason_entry *reason_intern(cl_reasons *t, const char *reason)
{
    /* The same reason as the last: its text and the NUL after it match. */
    if (t->last && strncmp(t->last->text, reason, t->last->len + 1) == 0)
        return t->last;
    size_t len = strnlen(reason, CL_REASON_MAX - 1);
    if ((t->n + 1) * 2 > t->nslots && reasons_grow(t) < 0)
        return NULL;
    reason_entry **slot = reason_slot(t->slots, t->nslots, reason, len);
    if (*slot)
        return t->last = *slot;
    reason_entry *e = reason_alloc(t, len);
    if (!e)
        return NULL;
    e->table = t;
    e->len = (uint32_t)len;
    memcpy(e->text, reason, len);
    e->text[len] = '\0';
    t->n++;
    return t->last = *slot = e;
}

/* Cannot fail: "" fits the arena. */
static void reasons_init(cl_reasons *t)
{
    t->slots = t->inline_slots;
    t->nslots = REASON_SLOTS_FIRST;
    t->n = 0;
    t->last = NULL;
    t->oom = 0;
    t->arena_used = 0;
    t->nmalloced = 0;
    memset(t->inline_slots, 0, sizeof t->inline_slots);
    t->none = reason_intern(t, "");
}

static void reasons_free(cl_reasons *t)
{
    for (size_t i = 0; t->nmalloced && i < t->nslots; i++)
        if (t->slots[i] && t->slots[i]->malloced)
            free(t->slots[i]);
    if (t->slots != t->inline_slots)
        free(t->slots);
}

cl_doc *cl_doc_new(cl_format format)
{
    doc_alloc *a = malloc(sizeof *a);
    if (!a)
        return NULL;
    memset(&a->doc, 0, sizeof a->doc);
    a->doc.format = format;
    a->doc.reasons = &a->reasons;
    reasons_init(&a->reasons);
    return &a->doc;
}

/* ---- block texts -------------------------------------------------------- */

/*
 * Block texts are copied into chunks the document owns rather than each into
 * a malloc of its own: a document has tens to thousands of short blocks, and
 * an allocation and a free a block cost more than copying its text.  A text
 * is appended to the newest chunk; chunks never move, so text pointers stay
 * valid, and each new chunk is twice the size of the last, up to a cap, so
 * a document takes a few allocations.  A text longer than a chunk gets one
 * of its own, linked behind the newest, whose room stays in use.
 */
struct cl_text_chunk {
    cl_text_chunk *next;
    size_t         used;
    size_t         cap;
    char           bytes[];
};

#define TEXT_CHUNK_FIRST 4096   /* the text of a short article fits */
#define TEXT_CHUNK_MAX   65536

static cl_text_chunk *add_text_chunk(cl_doc *doc, size_t need)
{
    cl_text_chunk *newest = doc->texts;
    size_t cap = newest ? newest->cap * 2 : TEXT_CHUNK_FIRST;
    if (cap > TEXT_CHUNK_MAX)
        cap = TEXT_CHUNK_MAX;
    int own = need > cap;
    if (own)
        cap = need;
    if (cap > SIZE_MAX - sizeof(cl_text_chunk))
        return NULL;
    cl_text_chunk *c = malloc(sizeof *c + cap);
    if (!c)
        return NULL;
    c->used = 0;
    c->cap = cap;
    if (own && newest) {
        c->next = newest->next;
        newest->next = c;
    } else {
        c->next = newest;
        doc->texts = c;
    }
    return c;
}

/* A NUL-terminated copy of text[0..len) in the document's chunks; NULL on
 * allocation failure. */
static inline char *store_text(cl_doc *doc, const char *text, size_t len)
{
    cl_text_chunk *c = doc->texts;
    if ((!c || c->cap - c->used <= len) && !(c = add_text_chunk(doc, len + 1)))
        return NULL;
    char *copy = c->bytes + c->used;
    memcpy(copy, text, len);
    copy[len] = '\0';
    c->used += len + 1;
    return copy;
}

void cl_doc_free(cl_doc *doc)
{
    if (!doc)
        return;
    for (cl_text_chunk *c = doc->texts, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(doc->blocks);
    free(doc->contexts);
    for (int f = 0; f < CL_META_COUNT; f++)
        free(doc->meta[f]);
    free(doc->input_url);
    reasons_free(doc->reasons);
    free(doc);  /* the doc_alloc, reasons included */
}

static size_t trimmed_len(const char *text, size_t len)
{
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\n' ||
                   text[len - 1] == '\t' || text[len - 1] == '\r'))
        len--;
    return len;
}

/* cl_doc_add_block, with the words counted here when `words` is NULL. */
static long add_block(cl_doc *doc, cl_block_kind kind, int level, const char *text, size_t len,
                      size_t link_len, const size_t *words)
{
    len = trimmed_len(text, len);
    if (len == 0)
        return -1;
    if (len > CL_BLOCK_MAX_LEN)
        return -2;
    if (doc->nblocks == doc->cap) {
        size_t cap = doc->cap ? doc->cap * 2 : 32;
        cl_block *p = realloc(doc->blocks, cap * sizeof *p);
        if (!p)
            return -2;
        doc->blocks = p;
        doc->cap = cap;
    }
    char *copy = store_text(doc, text, len);
    if (!copy)
        return -2;
    doc->blocks[doc->nblocks] = (cl_block){
        .text = copy,
        .reason = doc->reasons->none->text,
        .len = (uint32_t)len,
        .words = (uint32_t)(words ? *words : cl_count_words(copy, len)),
        .link_len = (uint32_t)(link_len > len ? len : link_len),
        .level = level < 0 ? 0 : (unsigned)level < CL_BLOCK_MAX_LEVEL ? (unsigned)level
                                                                     : CL_BLOCK_MAX_LEVEL,
        .kind = kind,
        .decision = CL_KEEP,
    };
    return (long)doc->nblocks++;
}

long cl_doc_add_block(cl_doc *doc, cl_block_kind kind, int level,
                      const char *text, size_t len, size_t link_len)
{
    return add_block(doc, kind, level, text, len, link_len, NULL);
}

long cl_doc_add_counted_block(cl_doc *doc, cl_block_kind kind, int level, const char *text,
                              size_t len, size_t link_len, size_t words)
{
    return add_block(doc, kind, level, text, len, link_len, &words);
}

int cl_doc_set_block_text(cl_doc *doc, size_t i, const char *text, size_t len,
                          size_t link_len)
{
    if (i >= doc->nblocks)
        return -1;
    len = trimmed_len(text, len);
    char *copy = len <= CL_BLOCK_MAX_LEN ? store_text(doc, text, len) : NULL;
    if (!copy)
        return -1;
    cl_block *b = &doc->blocks[i];
    b->text = copy;
    b->len = (uint32_t)len;
    b->words = (uint32_t)cl_count_words(copy, len);
    b->link_len = (uint32_t)(link_len > len ? len : link_len);
    return 0;
}

/* Contexts are set on blocks already added, in any order: the array grows
 * to the blocks' capacity, zeroed, on the first one. */
static int contexts_reserve(cl_doc *doc)
{
    if (doc->contexts && doc->ncontexts >= doc->nblocks)
        return 0;
    size_t n = doc->cap;
    const char **p = realloc(doc->contexts, n * sizeof *p);
    if (!p)
        return -1;
    memset(p + doc->ncontexts, 0, (n - doc->ncontexts) * sizeof *p);
    doc->contexts = p;
    doc->ncontexts = n;
    return 0;
}

int cl_doc_set_block_context(cl_doc *doc, size_t i, const char *ctx, size_t len)
{
    if (i >= doc->nblocks || contexts_reserve(doc) < 0)
        return -1;
    const char *prev = i > 0 ? doc->contexts[i - 1] : NULL;
    if (prev && strlen(prev) == len && memcmp(prev, ctx, len) == 0) {
        doc->contexts[i] = prev;
        return 0;
    }
    char *copy = store_text(doc, ctx, len);
    if (!copy)
        return -1;
    doc->contexts[i] = copy;
    return 0;
}

const char *cl_doc_block_context(const cl_doc *doc, size_t i)
{
    if (!doc->contexts || i >= doc->ncontexts || !doc->contexts[i])
        return "";
    return doc->contexts[i];
}

void cl_block_decide(cl_block *b, cl_decision d, const char *reason)
{
    b->decision = d;
    cl_reasons *t = ((const reason_entry *)(b->reason - offsetof(reason_entry, text)))->table;
    const reason_entry *e = reason_intern(t, reason);
    if (e)
        b->reason = e->text;
    else
        t->oom = 1;
}

int cl_doc_oom(const cl_doc *doc)
{
    return doc && doc->reasons && doc->reasons->oom;
}

int cl_doc_set_meta(cl_doc *doc, cl_meta_field f, const char *value,
                    size_t len, int overwrite)
{
    if ((unsigned)f >= CL_META_COUNT || !value)
        return 0;
    if (doc->meta[f] && !overwrite)
        return 0;
    cl_buf b = CL_BUF_INIT;
    cl_buf_append_collapsed(&b, value, len);
    cl_buf_rtrim(&b);
    if (b.oom)
        return -1;
    if (b.len == 0) {
        cl_buf_free(&b);
        return 0;
    }
    free(doc->meta[f]);
    doc->meta[f] = cl_buf_detach(&b);
    return 0;
}

const char *cl_doc_meta(const cl_doc *doc, cl_meta_field f)
{
    return (unsigned)f < CL_META_COUNT ? doc->meta[f] : NULL;
}

static int is_word_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/*
 * A word starts at a non-space byte that follows a space or the start of
 * the text.  With the spaces of 8 bytes flagged in a word, the bytes that
 * follow a space are the flags shifted by one byte, so a group costs a few
 * operations instead of a comparison chain a byte.  Block text is collapsed:
 * '\n', '\t' and '\r' (all below '\r' + 1) are rare and looked for only in
 * groups that have such a low byte; a group of ASCII without them, the
 * common case, takes the cheapest test for spaces.
 */
size_t cl_count_words(const char *s, size_t len)
{
    size_t words = 0, i = 0;
    uint64_t after_space = 0x80;  /* byte 0 of the next group follows a space */
    for (; i + 8 <= len; i += 8) {
        uint64_t w = cl_swar_load(s + i), space;
        if (!cl_swar_outside_ascii_from(w, '\r' + 1)) {
            space = cl_swar_eq_ascii(w, ' ');
        } else {
            space = cl_swar_eq(w, ' ');
            if (cl_swar_any_below(w, '\r' + 1))
                space |= cl_swar_eq(w, '\n') | cl_swar_eq(w, '\t') | cl_swar_eq(w, '\r');
        }
        words += cl_swar_count(~space & CL_SWAR_HIGH & ((space << 8) | after_space));
        after_space = space >> 56;
    }
    int in_word = !after_space;
    for (; i < len; i++) {
        int space = is_word_space(s[i]);
        if (!space && !in_word)
            words++;
        in_word = !space;
    }
    return words;
}
